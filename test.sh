#!/usr/bin/env bash
# Builds HEAN and runs every test suite. Sets up what the tests need: the .NET SDK, and for the
# persistence tests a redis-server and a throwaway PostgreSQL on loopback ports (scripts/services.sh,
# installs redis-server with apt-get if it is missing; stopped again on exit).
# Prints one closing line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")"

CONFIG="${CONFIG:-Release}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

if ! command -v dotnet >/dev/null; then
  echo "error: the .NET 10 SDK (dotnet) is required" >&2
  exit 1
fi

echo "== build ($CONFIG)"
dotnet build Hean.Akka.sln -c "$CONFIG" -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }

results="$(mktemp -d)"
status=0

echo "== services (redis-server, PostgreSQL on loopback)"
trap 'scripts/services.sh stop' EXIT
if services_env="$(scripts/services.sh start)"; then
  eval "$services_env"
else
  echo "error: the test servers did not start (see above); the persistence tests will fail" >&2
  status=1
fi
for project in tests/*/*.csproj; do
  name="$(basename "$(dirname "$project")")"
  case "$name" in *Benchmarks*|*FakeBybit*) continue ;; esac
  echo "== $name"
  dotnet test "$project" -c "$CONFIG" --no-build -nologo --logger "trx;LogFileName=$name.trx" --results-directory "$results" "$@" \
    | tee "$results/$name.log" \
    | awk '/^(Passed!|Failed!)|^ +Failed |error/ { print; next } /^ +Error Message:/ { n = 5 } n > 0 { print; n-- }' || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done

passed=0; failed=0; skipped=0
for log in "$results"/*.log; do
  line="$(grep -E "(Passed|Failed)!" "$log" | tail -1)"
  p="$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$line")"
  f="$(sed -nE 's/.*Failed: *([0-9]+).*/\1/p' <<<"$line")"
  s="$(sed -nE 's/.*Skipped: *([0-9]+).*/\1/p' <<<"$line")"
  if [ -z "$line" ]; then f=1; p=0; s=0; echo "no test summary in $(basename "$log")"; status=1; fi
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
done
if [ "$failed" -gt 0 ]; then
  # Repeated at the end, so the last lines of a long log still say which tests failed.
  echo "== failed tests"
  grep -hE '^ +Failed ' "$results"/*.log | sed -E 's/^ +Failed //' | head -40
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
