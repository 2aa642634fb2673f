// Log Analytics (container logs, Container Apps system logs) and workspace-based Application Insights
// (the Azure Monitor exporter in ServiceDefaults sends traces, metrics and logs there).

param location string
param tags object
param logAnalyticsName string
param applicationInsightsName string

@description('Days Log Analytics keeps data; 30 is the free retention of the PerGB2018 tier.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
  }
}

output logAnalyticsName string = logAnalytics.name
output applicationInsightsName string = applicationInsights.name
