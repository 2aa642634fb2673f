#!/usr/bin/env bash
# Compiles and lints the Azure infrastructure (infra/main.bicep) with the bicep CLI from the NuGet package
# Azure.Bicep.CommandLine.linux-x64 (the only source CI machines have; no download at run time).
#
#   scripts/bicep.sh            restore bicep, build artifacts/infra/main.json, lint; fail on any diagnostic
#
# Bicep reports linter findings as warnings and still exits 0, so this script fails on every warning too:
# a rule is either satisfied or switched off in infra/bicepconfig.json with the reason. The template tests
# (tests/Platform.UnitTests/Deployment) read the compiled artifacts/infra/main.json.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="artifacts/infra"
mkdir -p "$OUT"

# Restore-only project: the version lives in tools/bicep/Bicep.Tools.csproj.
if ! dotnet restore tools/bicep/Bicep.Tools.csproj -nologo -v quiet >"$OUT/restore.log" 2>&1; then
  cat "$OUT/restore.log"; echo "bicep: restoring Azure.Bicep.CommandLine.linux-x64 failed" >&2; exit 1
fi
version=$(sed -n 's/.*Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' tools/bicep/Bicep.Tools.csproj)
packages="${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')}"
BICEP="${packages%/}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
[ -x "$BICEP" ] || chmod +x "$BICEP" 2>/dev/null || true
[ -x "$BICEP" ] || { echo "bicep: no executable at $BICEP" >&2; exit 1; }
echo "bicep: $("$BICEP" --version)"

failed=0
run() {
  local what="$1"; shift
  local log="$OUT/$what.log"
  if ! "$BICEP" "$@" >"$log" 2>&1; then
    echo "bicep $what: failed"; cat "$log"; failed=1; return
  fi
  if grep -Eq ': (Warning|Error) ' "$log"; then
    echo "bicep $what: diagnostics (fix them, or turn the rule off in infra/bicepconfig.json with the reason):"
    cat "$log"; failed=1; return
  fi
  echo "bicep $what: clean"
}

run build build infra/main.bicep --outfile "$OUT/main.json"
run lint lint infra/main.bicep
exit "$failed"
