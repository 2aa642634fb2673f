#!/bin/sh
# azd preprovision hook: makes sure the three generated secrets exist in the azd environment before Bicep
# runs (main.parameters.json passes them to infra/main.bicep: the cursor and encryption keys go to Key Vault; the
# Postgres password is the break-glass administrator's only, since the apps log in with Entra tokens, ADR 0036).
# azd exports the environment's values to hooks, and OS variables win, so CI can supply its own.
set -eu

# Once generated they must stay the same: a new Postgres password on every provision would change the
# break-glass administrator's password each time, and a new cursor key would invalidate every cursor.
if [ -n "${GITHUB_ACTIONS:-}" ]; then
  for name in POSTGRES_ADMIN_PASSWORD CATALOG_CURSOR_SIGNING_KEY SECRETS_ENCRYPTION_KEY; do
    eval "value=\${$name:-}"
    if [ -z "$value" ]; then
      echo "preprovision: $name is not set; in CI it comes from a repository secret (docs/deployment.md)." >&2
      exit 1
    fi
  done
  exit 0
fi

if [ -z "${POSTGRES_ADMIN_PASSWORD:-}" ]; then
  # Letters and digits only (no escaping in connection strings); the suffix guarantees the three character
  # classes Azure's password policy asks for.
  password="$(openssl rand -base64 48 | tr -dc 'A-Za-z0-9' | cut -c1-32)Aa1"
  azd env set POSTGRES_ADMIN_PASSWORD "$password" >/dev/null
  echo "preprovision: generated POSTGRES_ADMIN_PASSWORD (stored in the azd environment)"
fi

if [ -z "${CATALOG_CURSOR_SIGNING_KEY:-}" ]; then
  azd env set CATALOG_CURSOR_SIGNING_KEY "$(openssl rand -base64 32)" >/dev/null
  echo "preprovision: generated CATALOG_CURSOR_SIGNING_KEY (stored in the azd environment)"
fi

# A new encryption key would make every stored feed credential unreadable: generated once, then kept (rotation:
# docs/operations.md, "Rotating the secrets key").
if [ -z "${SECRETS_ENCRYPTION_KEY:-}" ]; then
  azd env set SECRETS_ENCRYPTION_KEY "$(openssl rand -base64 32)" >/dev/null
  echo "preprovision: generated SECRETS_ENCRYPTION_KEY (stored in the azd environment)"
fi
