#!/usr/bin/env bash
# Run make targets one after another, timing each; stop at the first failure.
#   tools/run_stages.sh venv test-unit test-notebooks ...   (what `make test` does)
# Stages joined by "+" (e.g. venv+compat-venv) run at the same time: stages that leave a
# core idle (installs, a Sphinx build, a one-core test run) share the 2 cores. Each one's
# output goes to its own log, printed whole when the group ends, so logs never interleave.
# Prints one line per stage as it ends and a table at the end, also written to
# _build/test-stages.md (or $STAGES_REPORT). When STAGES_RESULTS names a folder (`make test` sets
# benchmarks/results), the table is recorded there with the machine, date and commit
# (benchmarks/recorder.py), and the book's page on how it is built and tested shows it.
set -uo pipefail
cd "$(dirname "$0")/.."
make_cmd=${MAKE:-make}
results=${STAGES_RESULTS:-}
unset STAGES_RESULTS  # the stages' own tests run this script too: they must not record
flags=${MAKEFLAGS:-}; flags=${flags%% *}
case "$flags" in -*) ;; *n*) results="" ;; esac  # `make -n test` prints the stages: nothing to record
rows=()
total_start=$(date +%s)
status=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

duration() { echo "$(($1 / 60)) min $(($1 % 60)) s"; }

run_one() {  # make one stage; write "seconds status" to its .time file
    local start rc
    start=$(date +%s)
    $make_cmd --no-print-directory "$1"
    rc=$?
    echo "$(( $(date +%s) - start )) $rc" > "$logs/$1.time"
}

for group in "$@"; do
    IFS=+ read -r -a stages <<< "$group"
    group_start=$(date +%s)
    pids=()
    for stage in "${stages[@]}"; do
        echo "=== stage $stage: started $(date -u +%H:%M:%S)"
        if [ "${#stages[@]}" = 1 ]; then
            run_one "$stage"
        else
            run_one "$stage" > "$logs/$stage.log" 2>&1 &
            pids+=($!)
        fi
    done
    [ "${#pids[@]}" = 0 ] || wait "${pids[@]}"
    names=() parts=() group_mark=passed
    for stage in "${stages[@]}"; do
        [ -f "$logs/$stage.log" ] && { echo "--- output of make $stage"; cat "$logs/$stage.log"; }
        seconds=0 rc=1  # a stage killed before it wrote its time counts as failed
        [ -f "$logs/$stage.time" ] && read -r seconds rc < "$logs/$stage.time"
        mark=$([ "$rc" = 0 ] && echo passed || echo FAILED)
        [ "$rc" = 0 ] || { status=1; group_mark=FAILED; }
        echo "=== stage $stage: $mark in ${seconds} s"
        names+=("\`make $stage\`")
        parts+=("$stage $(duration "$seconds")")
    done
    seconds=$(( $(date +%s) - group_start ))
    if [ "${#stages[@]}" = 1 ]; then
        rows+=("| ${names[0]} | $(duration "$seconds") | $group_mark |")
    else
        joined=$(printf ' + %s' "${names[@]}"); joined=${joined:3}
        detail=$(printf ', %s' "${parts[@]}"); detail=${detail:2}
        rows+=("| $joined, at the same time | $(duration "$seconds") ($detail) | $group_mark |")
    fi
    [ "$status" = 0 ] || break
done
seconds=$(( $(date +%s) - total_start ))
report=${STAGES_REPORT:-_build/test-stages.md}
mkdir -p "$(dirname "$report")"
{
    echo "| stage | wall time | result |"
    echo "| --- | --- | --- |"
    printf '%s\n' "${rows[@]}"
    echo "| total | $(duration "$seconds") | on $(nproc) cores |"
} | tee "$report"
if [ -n "$results" ]; then
    python3 benchmarks/recorder.py stages "$report" --status "$status" --seconds "$seconds" \
        --started "$total_start" --results "$results" || status=1
fi
exit "$status"
