"""tools/run_stages.sh, the runner of `make test`: stages in order, groups joined by + at once, a table."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNNER = ROOT / "tools" / "run_stages.sh"

FAKE_MAKE = """#!/usr/bin/env bash
# a stand-in for make: records when each stage starts and ends, sleeps, fails on "bad"
stage=${@: -1}
echo "start $stage $(date +%s.%N)" >> "$EVENTS"
echo "output of $stage"
sleep 1
echo "end $stage $(date +%s.%N)" >> "$EVENTS"
[ "$stage" != bad ]
"""


def run(tmp_path: Path, *stages: str) -> tuple[subprocess.CompletedProcess, dict[str, tuple[float, float]], str]:
    make = tmp_path / "make"
    make.write_text(FAKE_MAKE)
    make.chmod(0o755)
    events = tmp_path / "events"
    report = tmp_path / "stages.md"
    env = {**os.environ, "MAKE": str(make), "EVENTS": str(events), "STAGES_REPORT": str(report)}
    result = subprocess.run(["bash", str(RUNNER), *stages], env=env, capture_output=True, text=True, timeout=60)
    times: dict[str, list[float]] = {}
    for line in events.read_text().splitlines() if events.exists() else []:
        kind, stage, stamp = line.split()
        times.setdefault(stage, [0.0, 0.0])[kind == "end"] = float(stamp)
    return result, {k: (v[0], v[1]) for k, v in times.items()}, report.read_text() if report.exists() else ""


def test_stages_run_in_order_and_a_group_at_once(tmp_path):
    result, times, table = run(tmp_path, "first", "a+b", "last")
    assert result.returncode == 0, result.stderr
    assert times["first"][1] <= min(times["a"][0], times["b"][0])
    assert times["a"][0] < times["b"][1] and times["b"][0] < times["a"][1], "a and b did not overlap"
    assert max(times["a"][1], times["b"][1]) <= times["last"][0]
    assert "| `make first` |" in table
    assert "| `make a` + `make b`, at the same time |" in table
    # each sleeps 1 s; whole seconds on either side of a tick can make it 2
    assert re.search(r"\(a 0 min [12] s, b 0 min [12] s\)", table), table
    assert table.splitlines()[-1].startswith("| total |")
    # a group's outputs are printed one after the other, not interleaved
    out = result.stdout
    assert out.index("--- output of make a") < out.index("output of a\n") < out.index("--- output of make b")


def test_a_failing_stage_stops_the_run_after_its_group(tmp_path):
    result, times, table = run(tmp_path, "bad+good", "never")
    assert result.returncode == 1
    assert "never" not in times, "a stage after a failed group ran"
    assert "good" in times, "the other member of the group was not waited for"
    assert "| FAILED |" in table and "never" not in table
    assert "=== stage bad: FAILED" in result.stdout


def test_the_table_is_recorded_with_the_machine_and_the_stages_do_not_record(tmp_path):
    results = tmp_path / "results"
    make = tmp_path / "make"
    make.write_text(FAKE_MAKE.replace('echo "output of $stage"', 'echo "output of $stage ${STAGES_RESULTS:-unset}"'))
    make.chmod(0o755)
    env = {**os.environ, "MAKE": str(make), "EVENTS": str(tmp_path / "events"),
           "STAGES_REPORT": str(tmp_path / "stages.md"), "STAGES_RESULTS": str(results)}
    result = subprocess.run(["bash", str(RUNNER), "first"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "output of first unset" in result.stdout, "a stage saw STAGES_RESULTS: its own tests would record"
    recorded = json.loads((results / "test-stages.json").read_text())
    assert "| `make first` |" in recorded["output"] and recorded["status"] == 0
    assert recorded["machine"]["cores"] == os.cpu_count()
    assert "| `test-stages` | exit status 0 |" in (results / "summary.md").read_text()


def test_a_dry_run_is_not_recorded(tmp_path):
    results = tmp_path / "results"
    make = tmp_path / "make"
    make.write_text(FAKE_MAKE)
    make.chmod(0o755)
    env = {**os.environ, "MAKE": str(make), "EVENTS": str(tmp_path / "events"), "MAKEFLAGS": "n",
           "STAGES_REPORT": str(tmp_path / "stages.md"), "STAGES_RESULTS": str(results)}
    result = subprocess.run(["bash", str(RUNNER), "first"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert not results.exists(), "make -n test recorded a table of stages that did not run"
