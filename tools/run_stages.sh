#!/usr/bin/env bash
# Run make targets one after another, timing each; stop at the first failure.
#   tools/run_stages.sh venv test-unit test-notebooks ...   (what `make test` does)
# Prints one line per stage as it ends and a table at the end, also written to
# _build/test-stages.md, so the README's per-stage times come from one real run.
set -uo pipefail
cd "$(dirname "$0")/.."
make_cmd=${MAKE:-make}
rows=()
total_start=$(date +%s)
status=0
for stage in "$@"; do
    start=$(date +%s)
    echo "=== stage $stage: started $(date -u +%H:%M:%S)"
    if ! $make_cmd --no-print-directory "$stage"; then
        status=1
    fi
    seconds=$(( $(date +%s) - start ))
    mark=$([ "$status" = 0 ] && echo passed || echo FAILED)
    rows+=("| \`make $stage\` | $((seconds / 60)) min $((seconds % 60)) s | $mark |")
    echo "=== stage $stage: $mark in ${seconds} s"
    [ "$status" = 0 ] || break
done
seconds=$(( $(date +%s) - total_start ))
mkdir -p _build
{
    echo "| stage | wall time | result |"
    echo "| --- | --- | --- |"
    printf '%s\n' "${rows[@]}"
    echo "| total | $((seconds / 60)) min $((seconds % 60)) s | on $(nproc) cores |"
} | tee _build/test-stages.md
exit "$status"
