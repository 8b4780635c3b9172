#!/usr/bin/env bash
# The one test entry point (`npm test`, CI): build, type-check the tests, lint, then run the test tiers in
# order. Usage: scripts/test.sh [all|unit|int|browser|python]   (default: all)
#
#   unit     */test/**/*.test.ts except *.int.test.ts and *.browser.test.ts — pure and fast
#   int      */test/**/*.int.test.ts — real chDB, real listeners, real OTel exporters, spawned processes
#   browser  */test/**/*.browser.test.ts — the built dashboard in headless Chromium (Debian's `chromium`,
#            installed here with apt-get when missing) driven by playwright-core, against a real `mlrun serve`
#   python   sdk-python's pytest suite against a real `mlrun serve` started by the test session
#
# Every tier must find at least one test file (an empty tier is a broken glob, not a pass). Nothing is
# ever retried: a flaky test is a bug to fix.
set -euo pipefail
shopt -s globstar nullglob

cd "$(dirname "${BASH_SOURCE[0]}")/.."

tier="${1:-all}"
case "$tier" in
  all | unit | int | browser | python) ;;
  *)
    echo "usage: scripts/test.sh [all|unit|int|browser|python]" >&2
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
      *.browser.test.ts) [[ "$kind" == browser ]] && printf '%s\n' "$file" ;;
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
    local pattern="*/test/**/*.$kind.test.ts"
    [[ "$kind" == unit ]] && pattern='*/test/**/*.test.ts (not *.int.test.ts, not *.browser.test.ts)'
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

# Debian's Chromium for the browser tier, installed only when missing (as root, or through passwordless sudo).
chromium_installed() {
  [[ -x /usr/bin/chromium ]] && /usr/bin/chromium --version >/dev/null 2>&1
}
ensure_chromium() {
  chromium_installed && return 0
  echo "installing Debian's chromium for the browser tests (apt-get install -y chromium)"
  local sudo=()
  if ((EUID != 0)); then sudo=(sudo -n); fi
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine's package lists may predate the chromium it can install: refresh them once if needed.
  "${sudo[@]}" apt-get install -y -q chromium >/dev/null || { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q chromium >/dev/null; }
  chromium_installed || { echo "chromium did not install; the browser tier needs /usr/bin/chromium" >&2; exit 1; }
}

# sdk-python/.venv from the machine's offline wheelhouse, created only when missing or incomplete.
python_venv() {
  local venv=sdk-python/.venv
  if [[ -x "$venv/bin/python" && -x "$venv/bin/mlrun" ]] && "$venv/bin/python" -c 'import pytest, opentelemetry.proto, mlrun, torch, accelerate' 2>/dev/null; then
    return 0
  fi
  echo "creating $venv (offline wheelhouse)"
  [[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --retries 0 pytest opentelemetry-api opentelemetry-proto lightning transformers accelerate optuna torch requests setuptools
  "$venv/bin/pip" install --quiet --retries 0 --no-build-isolation --no-deps -e sdk-python
}

run_python_tier() {
  section "test: python (sdk-python, pytest)"
  python_venv
  local log code
  log="$(mktemp)"
  set +e
  (cd sdk-python && .venv/bin/python -m pytest -q -p no:cacheprovider) 2>&1 | tee "$log"
  code="${PIPESTATUS[0]}"
  set -e
  # pytest's closing line: "N passed, N failed, N errors, N xfailed ... in 12.3s" (zero counts are omitted).
  local summary passed failed errors
  summary="$(grep -E '^(=+ )?[0-9]+ [a-z]+.* in [0-9.]+s' "$log" | tail -1)"
  rm -f "$log"
  passed="$(grep -oE '[0-9]+ passed' <<<"$summary" | grep -oE '[0-9]+' || true)"
  failed="$(grep -oE '[0-9]+ failed' <<<"$summary" | grep -oE '[0-9]+' || true)"
  errors="$(grep -oE '[0-9]+ errors?' <<<"$summary" | grep -oE '[0-9]+' || true)"
  passed_all=$((passed_all + ${passed:-0}))
  failed_all=$((failed_all + ${failed:-0} + ${errors:-0}))
  if ((code == 5)); then
    echo "pytest collected no tests in sdk-python/tests: refusing to report an empty tier as passing" >&2
    exit 1
  fi
  if ((code != 0)); then
    echo "python tier failed (pytest exit code $code)" >&2
    echo "tests: ${passed_all} passed, ${failed_all} failed"
    exit 1
  fi
}

section "build (tsc -b, then the dashboard)"
npx tsc -b
npm run --silent build -w ui

section "type-check tests (tsc -p tsconfig.test.json) and the dashboard (svelte-check)"
npx tsc -p tsconfig.test.json
npm run --silent check -w ui

section "lint (eslint .)"
npx eslint .

if [[ "$tier" == all || "$tier" == unit ]]; then run_tier unit; fi
if [[ "$tier" == all || "$tier" == int ]]; then run_tier int; fi
if [[ "$tier" == all || "$tier" == browser ]]; then
  ensure_chromium
  run_tier browser
fi
if [[ "$tier" == all || "$tier" == python ]]; then run_python_tier; fi

section "all requested tiers passed"
# The plain closing line CI reads, over every tier that ran.
echo "tests: ${passed_all} passed, ${failed_all} failed"
