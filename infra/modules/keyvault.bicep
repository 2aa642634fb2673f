// Key Vault with Azure RBAC (no access policies). The app identity may read secrets and nothing else;
// the container apps reference secrets by URL (keyVaultUrl), so no value lands in an app setting.

param location string
param tags object
param name string

@description('The app identity: reads secrets.')
param appPrincipalId string

@description('Days a deleted vault or secret can be recovered (7–90).')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

// Built-in role "Key Vault Secrets User".
var secretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    publicNetworkAccess: 'Enabled'
  }
}

resource appSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, secretsUserRoleId)
  scope: vault
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', secretsUserRoleId)
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
@description('The role assignment the apps depend on: a container app that starts before it cannot read its secrets.')
output secretsUserAssignmentId string = appSecretsUser.id
