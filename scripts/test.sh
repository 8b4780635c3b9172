#!/usr/bin/env bash
# The one test entry point (`npm test`, CI): build, type-check the tests, lint, then run the test tiers in
# order. Usage: scripts/test.sh [all|unit|int]   (default: all)
#
#   unit  */test/**/*.test.ts except *.int.test.ts — pure and fast
#   int   */test/**/*.int.test.ts — real chDB, real listeners, real OTel exporters, spawned processes
#
# Every tier must find at least one test file (an empty tier is a broken glob, not a pass). Nothing is
# ever retried: a flaky test is a bug to fix.
set -euo pipefail
shopt -s globstar nullglob

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tier="${1:-all}"
case "$tier" in
  all | unit | int) ;;
  *)
    echo "usage: scripts/test.sh [all|unit|int]" >&2
    exit 2
    ;;
esac

section() {
  printf '\n== %s ==\n' "$1"
}

# Test files of a tier, from every top-level package (node_modules excluded).
test_files() {
  local kind="$1" file
  for file in */test/**/*.test.ts; do
    case "$file" in
      node_modules/*) continue ;;
      *.int.test.ts) [[ "$kind" == int ]] && printf '%s\n' "$file" ;;
      *) [[ "$kind" == unit ]] && printf '%s\n' "$file" ;;
    esac
  done
  return 0
}

run_tier() {
  local kind="$1"
  local -a files
  mapfile -t files < <(test_files "$kind")
  section "test: $kind (${#files[@]} files)"
  if ((${#files[@]} == 0)); then
    local pattern='*/test/**/*.test.ts (not *.int.test.ts)'
    [[ "$kind" == int ]] && pattern='*/test/**/*.int.test.ts'
    echo "no $kind test files found ($pattern): refusing to report an empty tier as passing" >&2
    exit 1
  fi
  local log
  log="$(mktemp)"
  npx tap "${files[@]}" | tee "$log"
  # tap's closing line: "# { total: N, pass: N, fail: N, ... }" (fail is omitted when zero).
  local summary
  summary="$(grep -E '^# \{ total: [0-9]+' "$log" | tail -1)"
  rm -f "$log"
  local total pass
  total="$(sed -E 's/.*total: ([0-9]+).*/\1/' <<<"$summary")"
  pass="$(sed -E 's/.*pass: ([0-9]+).*/\1/' <<<"$summary")"
  passed_all=$((passed_all + ${pass:-0}))
  failed_all=$((failed_all + ${total:-0} - ${pass:-0}))
}
passed_all=0
failed_all=0

section "build (tsc -b)"
npx tsc -b

section "type-check tests (tsc -p tsconfig.test.json)"
npx tsc -p tsconfig.test.json

section "lint (eslint .)"
npx eslint .

if [[ "$tier" == all || "$tier" == unit ]]; then run_tier unit; fi
if [[ "$tier" == all || "$tier" == int ]]; then run_tier int; fi

# Later tiers plug in here, each as its own `if [[ "$tier" == all || "$tier" == <name> ]]` line (and in the
# usage and case list above):
#   python  — sdk-python's pytest suite against a receiver started by the test session (sdk-python issue)
#   browser — headless Chromium against the built UI (dashboard issue)

section "all requested tiers passed"
# The plain closing line CI reads, over every tier that ran.
echo "tests: ${passed_all} passed, ${failed_all} failed"
