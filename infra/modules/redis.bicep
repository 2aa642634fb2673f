// Azure Cache for Redis, TLS only. The access key never leaves Bicep: secrets.bicep reads it with
// listKeys() and writes the connection string to Key Vault.

param location string
param tags object
param name string

@allowed([
  'Basic'
  'Standard'
  'Premium'
])
param skuName string

@allowed([
  'C'
  'P'
])
param skuFamily string

@minValue(0)
@maxValue(6)
param skuCapacity int

resource redis 'Microsoft.Cache/redis@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
      family: skuFamily
      capacity: skuCapacity
    }
    enableNonSslPort: false
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
    redisVersion: '6'
  }
}

output name string = redis.name
output hostName string = redis.properties.hostName
output sslPort int = redis.properties.sslPort
