// One Platform container app: the api or one worker role set. Every app runs as the app identity, pulls
// from the registry with it, reads its secrets from Key Vault with it (keyVaultUrl references, never
// values), and is probed on the ServiceDefaults health endpoints (the worker serves them too).

param location string
param tags object
param name string

@description('azd service this app belongs to (tag azd-service-name); empty for apps azd does not deploy directly.')
param azdServiceName string = ''

param environmentId string
param registryServer string
param image string

param appIdentityId string

@description('More user-assigned identities on the app, e.g. the KEDA scaler identity.')
param additionalIdentityIds array = []

@description('Plain settings: [{ name, value }]. Never a secret: those go in secrets.')
param env { name: string, value: string }[]

@description('Secrets as Key Vault references: [{ name (container app secret name), env (environment variable), keyVaultUrl }].')
param secrets { name: string, env: string, keyVaultUrl: string }[]

@description('External HTTPS ingress on targetPort; false means no ingress at all.')
param externalIngress bool = false

@description('The port ASP.NET Core listens on in the container (the .NET images default to 8080).')
param targetPort int = 8080

@minValue(0)
param minReplicas int

@minValue(1)
param maxReplicas int

@description('Scale rules, type-checked against the Microsoft.App schema.')
param scaleRules resourceInput<'Microsoft.App/containerApps@2025-01-01'>.properties.template.scale.rules = []

@description('vCPU per replica, as a string because Bicep has no decimals, e.g. "0.5".')
param cpu string = '0.5'
param memory string = '1Gi'

var identityIds = concat([appIdentityId], additionalIdentityIds)

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: name
  location: location
  tags: empty(azdServiceName) ? tags : union(tags, { 'azd-service-name': azdServiceName })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: toObject(identityIds, id => id, id => {})
  }
  properties: {
    environmentId: environmentId
    workloadProfileName: 'Consumption'
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: externalIngress
        ? {
            external: true
            targetPort: targetPort
            transport: 'auto'
            allowInsecure: false
          }
        : null
      registries: [
        {
          server: registryServer
          identity: appIdentityId
        }
      ]
      secrets: [
        for secret in secrets: {
          name: secret.name
          keyVaultUrl: secret.keyVaultUrl
          identity: appIdentityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'main'
          image: image
          resources: {
            cpu: json(cpu)
            memory: memory
          }
          env: concat(env, map(secrets, secret => { name: secret.env, secretRef: secret.name }))
          probes: [
            {
              type: 'Liveness'
              httpGet: {
                path: '/health/live'
                port: targetPort
              }
              initialDelaySeconds: 5
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: {
                path: '/health/ready'
                port: targetPort
              }
              initialDelaySeconds: 5
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              // A start may first apply migrations (Database:MigrateOnStartup): allow about 3 minutes
              // (Container Apps caps failureThreshold at 10 and periodSeconds at 240).
              type: 'Startup'
              httpGet: {
                path: '/health/live'
                port: targetPort
              }
              initialDelaySeconds: 5
              periodSeconds: 20
              failureThreshold: 10
            }
          ]
        }
      ]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: scaleRules
      }
    }
  }
}

output name string = app.name
output fqdn string = externalIngress ? app.properties.configuration.ingress.fqdn : ''
