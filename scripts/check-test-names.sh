#!/usr/bin/env bash
# CTest splits a discovered test's name at ';', so a Catch2 TEST_CASE whose
# name holds one becomes tests that match nothing and never run. This check
# names every such test case.
set -euo pipefail
cd "$(dirname "$0")/.."
if found=$(git grep -n -E '^\s*(TEST_CASE|SCENARIO)\("[^"]*;' -- 'tests/*.cpp'); then
  echo "check-test-names: these test names contain ';' (CTest would split them and never run them):" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-test-names: no test name contains ';'"
