#!/usr/bin/env bash
# The one command that runs all of cimq's tests: installs the Debian packages the tests read,
# then builds every module and runs its tests.
set -euo pipefail
cd "$(dirname "$0")/.."
CIMQ_NO_TORCH=1 scripts/install-deps.sh
mvn -B -ntp test "$@"
