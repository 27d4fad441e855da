#!/usr/bin/env bash
# Test names that break the tools around them:
# - CTest splits a discovered test's name at ';', so a Catch2 TEST_CASE whose
#   name holds one becomes tests that match nothing and never run.
# - Catch2 2.13's console reporter indents the lines after the first of a
#   test or section name by the place of its first ": ". When that place is
#   past the console width (80) it throws std::out_of_range while reporting a
#   failure: the test aborts without saying what failed and leaves its child
#   processes running. A name's first ": " must end by column 70 (room for
#   nested sections' indent).
# This check names every such test case and section (adjacent string
# literals joined, over several lines too).
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z -- 'tests/*.cpp' | xargs -0 python3 -c '
import re, sys

longest_indent = 70
literal = r"\"(?:[^\"\\\\]|\\\\.)*\""
named = re.compile(r"\b(TEST_CASE|SCENARIO|SECTION)\(\s*((?:" + literal + r"\s*)+)")
problems = []
for path in sys.argv[1:]:
    text = open(path, encoding="utf-8").read()
    for match in named.finditer(text):
        name = "".join(piece[1:-1] for piece in re.findall(literal, match.group(2)))
        line = text.count("\n", 0, match.start()) + 1
        colon = name.find(": ")
        if match.group(1) != "SECTION" and ";" in name:
            problems.append(f"{path}:{line}: contains \";\" (CTest would split it and never run it): {name}")
        if colon >= 0 and colon + 2 > longest_indent:
            problems.append(f"{path}:{line}: its first \": \" ends at column {colon + 2}, past {longest_indent} "
                            f"(Catch2 would crash reporting a failure): {name}")
if problems:
    print("check-test-names: these test names break CTest or Catch2:", file=sys.stderr)
    print("\n".join(problems), file=sys.stderr)
    sys.exit(1)
print("check-test-names: no test name contains \";\" or a \": \" past column", longest_indent)
'
