// The image a container app runs now, or '' when it does not exist yet. azd tells main.bicep whether the
// app of a service exists (SERVICE_<NAME>_RESOURCE_EXISTS); a re-provision then keeps the deployed image
// instead of resetting the app to the placeholder until the next `azd deploy`.

param name string
param exists bool

resource app 'Microsoft.App/containerApps@2025-01-01' existing = if (exists) {
  name: name
}

output image string = exists ? app!.properties.template.containers[0].image : ''
