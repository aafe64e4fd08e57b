#!/usr/bin/env bash
# Builds Granary and runs every test against real servers started by the test harness.
# Ends with one line, "N passed, N failed" (", N skipped" when any were), and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")"

# What the tests need from the machine: "check|apt package". A check is a shell condition that is true when the
# requirement is met; a new server for the tests is one more line here.
requirements=(
  "compgen -G '/usr/lib/postgresql/*/bin/initdb'|postgresql"
  "command -v python3|python3"
  "/usr/bin/python3 -c 'import scipy'|python3-scipy"
  "command -v redis-server && command -v redis-cli|redis-server"
  "command -v nats-server|nats-server"
  "command -v fc-list|fontconfig"
  "test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf|fonts-dejavu-core"
  "command -v chromium|chromium"
)

missing=()
for requirement in "${requirements[@]}"; do
  if ! eval "${requirement%%|*}" >/dev/null 2>&1; then
    missing+=("${requirement##*|}")
  fi
done
if ((${#missing[@]})); then
  echo "Installing: ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

dotnet build Granary.slnx -c Release

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

set +e
dotnet test Granary.slnx -c Release --no-build --logger "trx;LogFilePrefix=granary" --results-directory "$results"
test_exit=$?
set -e

# Counts every test result in the TRX files (one per test project), prints each failure with its message,
# and prints the summary as the very last line.
python3 - "$results" "$test_exit" <<'PY'
import glob, sys, xml.etree.ElementTree as ET

results, test_exit = sys.argv[1], int(sys.argv[2])
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for path in sorted(glob.glob(f"{results}/**/*.trx", recursive=True)):
    for result in ET.parse(path).getroot().iterfind(".//t:Results/t:UnitTestResult", ns):
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome == "NotExecuted":
            skipped += 1
        else:
            failed += 1
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=ns).strip()
            failures.append((result.get("testName", "?"), outcome, message))

if failures:
    print("\nFailed tests:")
    for name, outcome, message in failures:
        print(f"  {name} [{outcome}]")
        for line in message.splitlines() or ["(no message)"]:
            print(f"      {line}")
    print()
if test_exit != 0 and not failures:
    print(f"dotnet test exited with {test_exit} without reporting a failed test (a crashed test host or a build problem).")
if passed + failed == 0:
    print("No tests ran.")

summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
sys.exit(1 if failed or test_exit != 0 or passed + failed == 0 else 0)
PY
