#!/usr/bin/env bash
# Regenerates docs/api/openapi.json from the api: builds, then runs the drift test in update mode, which writes the
# document the running api serves. Review the diff and commit it with the change that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/prerequisites.sh
ensure_postgres
ensure_redis
dotnet build tests/Platform.IntegrationTests -c Release -nologo -v quiet -clp:ErrorsOnly
PLATFORM_UPDATE_OPENAPI=1 dotnet test --project tests/Platform.IntegrationTests -c Release --no-build -- \
  --filter-method "*.The_checked_in_openapi_document_matches_the_running_api"
git --no-pager diff --stat -- docs/api/openapi.json
