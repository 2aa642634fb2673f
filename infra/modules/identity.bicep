// Two user-assigned identities, so each holds only what it needs:
// - app: what the containers run as (pull images, read Key Vault secrets, send and receive messages,
//   Postgres Entra admin);
// - scaler: what the KEDA azure-servicebus rules run as. Reading a queue's message count goes through
//   the Service Bus management API, which needs the Data Owner role; that role is granted to this
//   identity only, and only on the queues that are scaled on (see servicebus.bicep).

param location string
param tags object
param appIdentityName string
param scalerIdentityName string

resource app 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: appIdentityName
  location: location
  tags: tags
}

resource scaler 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: scalerIdentityName
  location: location
  tags: tags
}

output appIdentityId string = app.id
output appIdentityName string = app.name
output appPrincipalId string = app.properties.principalId
output appClientId string = app.properties.clientId
output scalerIdentityId string = scaler.id
output scalerPrincipalId string = scaler.properties.principalId
