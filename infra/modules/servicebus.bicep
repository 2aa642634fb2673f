// Service Bus namespace and the pipeline's queues (src/Platform.Infrastructure/Messaging/QueueNames.cs),
// with the role assignments of the identities that use it. Local (SAS) auth is off: only Entra identities
// can send, receive or read queue counts.

param location string
param tags object
param name string

@allowed([
  'Standard'
  'Premium'
])
@description('Standard is the smallest tier with queues that support duplicate detection and scheduled messages.')
param sku string

@description('The app identity: sends and receives on every queue.')
param appPrincipalId string

@description('The KEDA scaler identity: reads the message counts of the queues in scaledQueues.')
param scalerPrincipalId string

@description('Queues the KEDA rules scale on; only these grant the scaler identity access.')
param scaledQueues array

// One entry per queue. The lock is the handler's lease (docs/configuration.md, Messaging): it must exceed
// the longest handler, and the transport renews it for long ones. Max delivery count matches MaxAttempts;
// Service Bus dead-letters after it. Duplicate detection drops a re-sent message id (the outbox relay may
// publish a message twice after a crash) within the window. Five minutes is Service Bus's longest lock;
// the scan's local lease is 10 minutes, so a long scan relies on the transport's lock renewal.
var queues = [
  {
    name: 'ingest.page'
    lockDuration: 'PT2M'
    maxDeliveryCount: 5
    duplicateDetectionWindow: 'PT10M'
  }
  {
    name: 'ingest.consolidate'
    lockDuration: 'PT5M'
    maxDeliveryCount: 5
    duplicateDetectionWindow: 'PT10M'
  }
  {
    name: 'ingest.scan'
    lockDuration: 'PT5M'
    maxDeliveryCount: 3
    duplicateDetectionWindow: 'PT10M'
  }
]

// Built-in roles.
var dataSenderRoleId = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39' // Azure Service Bus Data Sender
var dataReceiverRoleId = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0' // Azure Service Bus Data Receiver
var dataOwnerRoleId = '090c5cfd-751d-490a-894a-3ce6f1109419' // Azure Service Bus Data Owner

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' = [
  for q in queues: {
    parent: namespace
    name: q.name
    properties: {
      lockDuration: q.lockDuration
      maxDeliveryCount: q.maxDeliveryCount
      requiresDuplicateDetection: true
      duplicateDetectionHistoryTimeWindow: q.duplicateDetectionWindow
      deadLetteringOnMessageExpiration: true
      defaultMessageTimeToLive: 'P14D'
      enablePartitioning: false
    }
  }
]

resource appSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, appPrincipalId, dataSenderRoleId)
  scope: namespace
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataSenderRoleId)
  }
}

resource appReceiver 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace.id, appPrincipalId, dataReceiverRoleId)
  scope: namespace
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataReceiverRoleId)
  }
}

resource scaledQueue 'Microsoft.ServiceBus/namespaces/queues@2026-01-01' existing = [
  for q in scaledQueues: {
    parent: namespace
    name: q
  }
]

resource scalerOwner 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (q, i) in scaledQueues: {
    name: guid(namespace.id, q, scalerPrincipalId, dataOwnerRoleId)
    scope: scaledQueue[i]
    properties: {
      principalId: scalerPrincipalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', dataOwnerRoleId)
    }
    dependsOn: [
      queue
    ]
  }
]

output name string = namespace.name
@description('The endpoint the transport connects to (host name only: no key, identity auth).')
output endpoint string = 'https://${namespace.name}.servicebus.windows.net:443/'
