// Postgres Flexible Server with Microsoft Entra authentication: the app identity is an Entra administrator, and
// the apps log in as it with access tokens (ADR 0036). Password authentication stays on only for the generated
// break-glass administrator, whose password lives in the azd environment and reaches no app.

param location string
param tags object
param name string
param databaseName string

@description('Compute SKU, e.g. Standard_B1ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose).')
param skuName string

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string

@minValue(32)
param storageSizeGB int

@minValue(7)
@maxValue(35)
@description('Days of point-in-time restore.')
param backupRetentionDays int

@description('Zone-redundant standby. Needs the GeneralPurpose or MemoryOptimized tier.')
param highAvailability bool

param administratorLogin string

@secure()
param administratorPassword string

@description('The app identity, made an Entra administrator.')
param appIdentityName string
param appPrincipalId string

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: '16'
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      activeDirectoryAuth: 'Enabled'
      passwordAuth: 'Enabled'
      tenantId: tenant().tenantId
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability ? 'ZoneRedundant' : 'Disabled'
    }
    network: {
      publicNetworkAccess: 'Enabled'
    }
  }
}

// Container Apps without a virtual network have no fixed outbound address: admit Azure's own addresses
// (the 0.0.0.0 rule) and rely on TLS plus authentication. A VNet-integrated environment removes this.
resource allowAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: server
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2025-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

resource entraAdmin 'Microsoft.DBforPostgreSQL/flexibleServers/administrators@2025-08-01' = {
  parent: server
  name: appPrincipalId
  properties: {
    principalName: appIdentityName
    principalType: 'ServicePrincipal'
    tenantId: tenant().tenantId
  }
  // The server accepts one configuration change at a time.
  dependsOn: [
    database
    allowAzure
  ]
}

output name string = server.name
output fqdn string = server.properties.fullyQualifiedDomainName
