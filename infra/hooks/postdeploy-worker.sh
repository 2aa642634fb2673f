#!/bin/sh
# azd postdeploy hook of the worker service: azd has deployed the new image to the ingest workers (the app
# tagged azd-service-name=worker); give the consolidator and the singleton roles the same image, so every
# worker role runs one build. Needs the Azure CLI (az), logged in to the same subscription.
set -eu

: "${AZURE_RESOURCE_GROUP:?run through azd}"
image="$(az containerapp show --resource-group "$AZURE_RESOURCE_GROUP" --name "$AZURE_CONTAINER_APP_INGEST_NAME" \
  --query 'properties.template.containers[0].image' --output tsv)"
for app in "$AZURE_CONTAINER_APP_CONSOLIDATOR_NAME" "$AZURE_CONTAINER_APP_SINGLETON_NAME"; do
  echo "postdeploy: $app -> $image"
  az containerapp update --resource-group "$AZURE_RESOURCE_GROUP" --name "$app" --image "$image" --output none
done
