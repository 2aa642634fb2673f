// Platform's four container apps (PLATFORM §10): the api, the ingest workers, the consolidator and one replica of
// the singleton roles. All run the same settings and secrets (main.bicep builds them from the other modules);
// each adds its role, its replica range and its scale rule. container-app.bicep is the shape of one app.

param location string
param tags object

@description('Seeds the app names, like every other resource name in main.bicep.')
param resourceToken string

param environmentId string
param registryServer string
param appIdentityId string

@description('The identity of the KEDA azure-servicebus rules (it may read queue lengths).')
param scalerIdentityId string

@description('The namespace the KEDA rules read.')
param serviceBusNamespace string

@description('Settings every app gets: [{ name, value }], never a secret.')
param commonEnv { name: string, value: string }[]

@description('Secrets every app gets, as Key Vault references: [{ name, env, keyVaultUrl }].')
param commonSecrets { name: string, env: string, keyVaultUrl: string }[]

@description('Key Vault URL of Catalog:Cursor:SigningKey (the api only).')
param cursorSigningKeySecretUrl string

@description('True once the api container app exists (azd sets SERVICE_API_RESOURCE_EXISTS).')
param apiExists bool

@description('True once the ingest worker app (azd service worker) exists (SERVICE_WORKER_RESOURCE_EXISTS).')
param workerExists bool

param apiMinReplicas int
param apiMaxReplicas int
param ingestMinReplicas int
param ingestMaxReplicas int
param consolidatorMinReplicas int
param consolidatorMaxReplicas int

@description('Messages waiting in ingest.page per ingest replica before KEDA adds one.')
param ingestMessagesPerReplica int

@description('Messages waiting in ingest.consolidate per consolidator replica before KEDA adds one.')
param consolidateMessagesPerReplica int

// ---- Images. azd deploys images; Bicep only keeps them. azd sets SERVICE_<NAME>_RESOURCE_EXISTS (passed by
// main.parameters.json) once a service's app exists, and then a provision reuses the image the app runs.
// The very first provision runs a placeholder until `azd deploy` (the second half of `azd up`) replaces it.
var placeholderImage = 'mcr.microsoft.com/k8se/quickstart:latest'
var apiName = 'ca-api-${resourceToken}'
var ingestName = 'ca-ingest-${resourceToken}'

module apiImage 'existing-image.bicep' = {
  params: {
    name: apiName
    exists: apiExists
  }
}

// The worker image is deployed to the ingest app; the other worker apps follow it.
module workerImage 'existing-image.bicep' = {
  params: {
    name: ingestName
    exists: workerExists
  }
}

var apiImageOrPlaceholder = empty(apiImage.outputs.image) ? placeholderImage : apiImage.outputs.image
var workerImageOrPlaceholder = empty(workerImage.outputs.image) ? placeholderImage : workerImage.outputs.image

module api 'container-app.bicep' = {
  params: {
    location: location
    tags: tags
    name: apiName
    azdServiceName: 'api'
    environmentId: environmentId
    registryServer: registryServer
    image: apiImageOrPlaceholder
    appIdentityId: appIdentityId
    externalIngress: true
    minReplicas: apiMinReplicas
    maxReplicas: apiMaxReplicas
    env: concat(commonEnv, [
      {
        name: 'OTEL_SERVICE_NAME'
        value: 'api'
      }
    ])
    secrets: concat(commonSecrets, [
      {
        name: 'cursor-signing-key'
        env: 'Catalog__Cursor__SigningKey'
        keyVaultUrl: cursorSigningKeySecretUrl
      }
    ])
    scaleRules: [
      {
        name: 'http'
        http: {
          metadata: {
            concurrentRequests: '100'
          }
        }
      }
    ]
  }
}

// The ingest workers: one supplier page per message; KEDA adds replicas as ingest.page fills up.
module ingestWorker 'container-app.bicep' = {
  params: {
    location: location
    tags: tags
    name: ingestName
    // azd deploys the worker image here; the postdeploy hook rolls it out to the other worker apps.
    azdServiceName: 'worker'
    environmentId: environmentId
    registryServer: registryServer
    image: workerImageOrPlaceholder
    appIdentityId: appIdentityId
    additionalIdentityIds: [
      scalerIdentityId
    ]
    minReplicas: ingestMinReplicas
    maxReplicas: ingestMaxReplicas
    env: concat(commonEnv, [
      {
        name: 'Worker__Roles'
        value: 'ingest'
      }
      {
        name: 'OTEL_SERVICE_NAME'
        value: 'worker-ingest'
      }
    ])
    secrets: commonSecrets
    scaleRules: [
      {
        name: 'ingest-page-queue'
        custom: {
          type: 'azure-servicebus'
          identity: scalerIdentityId
          metadata: {
            namespace: serviceBusNamespace
            queueName: 'ingest.page'
            messageCount: string(ingestMessagesPerReplica)
          }
        }
      }
    ]
  }
}

// The consolidator: raw rows into the catalog; at most 3 (consolidation is parallel per run, ADR 0014).
module consolidatorWorker 'container-app.bicep' = {
  params: {
    location: location
    tags: tags
    name: 'ca-consolidator-${resourceToken}'
    environmentId: environmentId
    registryServer: registryServer
    image: workerImageOrPlaceholder
    appIdentityId: appIdentityId
    additionalIdentityIds: [
      scalerIdentityId
    ]
    minReplicas: consolidatorMinReplicas
    maxReplicas: consolidatorMaxReplicas
    env: concat(commonEnv, [
      {
        name: 'Worker__Roles'
        value: 'consolidator'
      }
      {
        name: 'OTEL_SERVICE_NAME'
        value: 'worker-consolidator'
      }
    ])
    secrets: commonSecrets
    scaleRules: [
      {
        name: 'ingest-consolidate-queue'
        custom: {
          type: 'azure-servicebus'
          identity: scalerIdentityId
          metadata: {
            namespace: serviceBusNamespace
            queueName: 'ingest.consolidate'
            messageCount: string(consolidateMessagesPerReplica)
          }
        }
      }
    ]
  }
}

// Exactly one replica of the roles that elect a leader or poll on a timer, and the dispatcher (the outbox relay
// to Service Bus; idle with the Postgres transport). More dispatchers would share the rows (SKIP LOCKED).
module singletonWorker 'container-app.bicep' = {
  params: {
    location: location
    tags: tags
    name: 'ca-singleton-${resourceToken}'
    environmentId: environmentId
    registryServer: registryServer
    image: workerImageOrPlaceholder
    appIdentityId: appIdentityId
    minReplicas: 1
    maxReplicas: 1
    env: concat(commonEnv, [
      {
        name: 'Worker__Roles'
        value: 'scheduler,maintenance,dispatcher'
      }
      {
        name: 'OTEL_SERVICE_NAME'
        value: 'worker-singleton'
      }
    ])
    secrets: commonSecrets
  }
}

output apiFqdn string = api.outputs.fqdn
output ingestName string = ingestWorker.outputs.name
output consolidatorName string = consolidatorWorker.outputs.name
output singletonName string = singletonWorker.outputs.name
