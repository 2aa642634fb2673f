#!/usr/bin/env bash
# Installs what the tests need when missing, restores, builds with warnings as errors, compiles and lints the
# Azure Bicep, runs every test project and the run.sh smoke test, prints a summary, and exits non-zero on any
# failure.
#
#   ./test.sh                 everything
#   ./test.sh --no-smoke      skip the run.sh smoke test
#   PLATFORM_TEST_POSTGRES / PLATFORM_TEST_REDIS   use existing servers instead of throwaway ones
set -uo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

SMOKE=1
for arg in "$@"; do
  case "$arg" in
    --no-smoke) SMOKE= ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "test.sh: unknown option '$arg'" >&2; exit 2 ;;
  esac
done

ARTIFACTS="artifacts/test"
rm -rf "$ARTIFACTS"; mkdir -p "$ARTIFACTS"
started=$(date +%s)

ensure_postgres || exit 1
ensure_redis || exit 1
ensure_curl || exit 1
ensure_node || exit 1

# The AppHost needs the Aspire SDK, which this machine's NuGet source may not carry.
if timeout 300 dotnet restore AppHost/Platform.AppHost.csproj >"$ARTIFACTS/apphost-restore.log" 2>&1; then
  TARGET=Platform.sln
  echo "AppHost: Aspire SDK restored; building the whole solution including the AppHost."
else
  TARGET=Platform.NoAppHost.slnf
  echo "AppHost: skipped (Aspire.AppHost.Sdk cannot be restored from the configured NuGet source; see AppHost/README.md)."
fi

echo "Building $TARGET (Release, warnings are errors)..."
if ! dotnet build "$TARGET" -c Release -nologo -v quiet -clp:ErrorsOnly -p:TreatWarningsAsErrors=true >"$ARTIFACTS/build.log" 2>&1; then
  cat "$ARTIFACTS/build.log"
  echo "Summary: build failed"
  exit 1
fi

passed=0; failed=0; skipped=0; failures=()

# Before the tests: the template tests in Platform.UnitTests read the ARM JSON this compiles.
echo "Compiling and linting infra/main.bicep (scripts/bicep.sh)..."
if scripts/bicep.sh >"$ARTIFACTS/bicep.log" 2>&1; then
  passed=$((passed + 1)); echo "  bicep: passed (build and lint clean)"
else
  failed=$((failed + 1)); failures+=("bicep"); echo "  bicep: FAILED"; tail -40 "$ARTIFACTS/bicep.log"
fi
for project in tests/*/*.csproj; do
  grep -q '<IsTestProject>true</IsTestProject>' "$project" || continue
  name="$(basename "$project" .csproj)"
  echo "Running $name..."
  log="$ARTIFACTS/$name.log"
  dotnet test --project "$project" -c Release --no-build -- --timeout 20m >"$log" 2>&1
  code=$?
  total=$(grep -Eo '^\s*total: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  ok=$(grep -Eo '^\s*succeeded: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  bad=$(grep -Eo '^\s*failed: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  skip=$(grep -Eo '^\s*skipped: [0-9]+' "$log" | tail -1 | grep -Eo '[0-9]+' || echo 0)
  passed=$((passed + ok)); failed=$((failed + bad)); skipped=$((skipped + skip))
  echo "  $name: $ok passed, $bad failed, $skip skipped (of $total)"
  if [ "$code" -ne 0 ] || [ "$total" -eq 0 ]; then
    failures+=("$name")
    grep -E '^(failed|  [A-Za-z.]*Exception|  Shouldly)' "$log" | head -40
    [ "$bad" -eq 0 ] && { failed=$((failed + 1)); tail -30 "$log"; }
  fi
done

if [ -n "$SMOKE" ]; then
  echo "Running the run.sh smoke test..."
  if scripts/smoke-run.sh >"$ARTIFACTS/smoke.log" 2>&1; then
    passed=$((passed + 1)); echo "  smoke: passed"
  else
    failed=$((failed + 1)); failures+=("smoke"); echo "  smoke: FAILED"; tail -40 "$ARTIFACTS/smoke.log"
  fi
fi

echo
echo "Logs in $ARTIFACTS/. Took $(( $(date +%s) - started )) s."
[ ${#failures[@]} -gt 0 ] && echo "Failed: ${failures[*]}"
echo "Summary: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ ${#failures[@]} -eq 0 ]
