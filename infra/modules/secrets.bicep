// Writes the services' secrets to Key Vault. Each value is built here from resource keys and secure
// parameters and goes nowhere else: not into outputs, not into app settings. The container apps read them
// through keyVaultUrl references with the app identity.

param keyVaultName string
param redisName string
param applicationInsightsName string

@secure()
@description('Catalog:Cursor:SigningKey (Base64 of 32+ random bytes).')
param cursorSigningKey string

@secure()
@description('Secrets:EncryptionKey (Base64 of 32 random bytes): encrypts feed credentials and signing secrets at rest.')
param secretsEncryptionKey string

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource redis 'Microsoft.Cache/redis@2024-11-01' existing = {
  name: redisName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

// Secret names; container-app.bicep refers to them by these names (the outputs below).
// No Postgres secret: the apps log in with Entra tokens and their connection string holds no password (ADR 0036).
var names = {
  cache: 'connectionstrings-cache'
  applicationInsights: 'applicationinsights-connection-string'
  cursorSigningKey: 'catalog-cursor-signingkey'
  secretsEncryptionKey: 'secrets-encryptionkey'
}

resource cache 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: names.cache
  properties: {
    value: '${redis.properties.hostName}:${redis.properties.sslPort},password=${redis.listKeys().primaryKey},ssl=True,abortConnect=False'
    contentType: 'StackExchange.Redis connection string'
  }
}

// Not a credential in the strict sense (it only allows writing telemetry), but kept with the others so
// that no connection string is an app setting.
resource applicationInsightsConnection 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: names.applicationInsights
  properties: {
    value: applicationInsights.properties.ConnectionString
    contentType: 'Application Insights connection string'
  }
}

resource cursorKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: names.cursorSigningKey
  properties: {
    value: cursorSigningKey
    contentType: 'Base64 HMAC key'
  }
}

resource encryptionKey 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: names.secretsEncryptionKey
  properties: {
    value: secretsEncryptionKey
    contentType: 'Base64 AES-256 key'
  }
}

// Versionless URLs: a container app picks up a new secret version on its next revision or restart.
output cacheSecretUrl string = '${vault.properties.vaultUri}secrets/${cache.name}'
output applicationInsightsSecretUrl string = '${vault.properties.vaultUri}secrets/${applicationInsightsConnection.name}'
output cursorSigningKeySecretUrl string = '${vault.properties.vaultUri}secrets/${cursorKey.name}'
output secretsEncryptionKeySecretUrl string = '${vault.properties.vaultUri}secrets/${encryptionKey.name}'
