# Counting helpers for .ci/run's summary line, sourced by it and by test/ci-summary.test.ts. Each
# function prints a number and returns 0 whatever the log holds (no runner output, a runner that
# crashed before its summary, colour codes), so `set -euo pipefail` in the caller never stops the
# script before its summary line.

# $1 = log file → the log without ANSI colour codes.
ci_plain() {
  sed -e 's/\x1b\[[0-9;]*m//g' "$1" 2>/dev/null || true
}

# vitest's last "Tests  N passed | M failed (T)" line: $1 = log file, $2 = passed|failed.
ci_vitest_count() {
  local line n
  line=$(ci_plain "$1" | grep -E '^ *Tests +[0-9]' | tail -n 1 || true)
  n=$(printf '%s\n' "$line" | grep -oE "[0-9]+ $2" | head -n 1 | grep -oE '^[0-9]+' || true)
  echo "${n:-0}"
}

# The sum over every deno summary line ("ok | N passed (K steps) | M failed (T)" or "FAILED | …"):
# $1 = log file, $2 = passed|failed.
ci_deno_sum() {
  ci_plain "$1" | { grep -E '^(ok|FAILED) \| ' || true; } | { grep -oE "[0-9]+ $2" || true; } |
    awk '{ s += $1 } END { print s + 0 }'
}

# The summary: one line per runner, then "N passed, M failed". A failing exit status with no failed
# test counted (a crash, a lint or typecheck error, a runner that printed nothing) counts as 1
# failure, so the summary never reads as green when `npm test` was not.
# $1 = log file, $2 = npm test's exit status, $3 = seconds elapsed.
ci_summary() {
  local vp vf dp df failed
  vp=$(ci_vitest_count "$1" passed)
  vf=$(ci_vitest_count "$1" failed)
  dp=$(ci_deno_sum "$1" passed)
  df=$(ci_deno_sum "$1" failed)
  failed=$((vf + df))
  if [ "$2" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "vitest: ${vp} passed, ${vf} failed; deno: ${dp} passed, ${df} failed; ${3}s; npm test exit ${2}"
  echo "$((vp + dp)) passed, ${failed} failed"
}
