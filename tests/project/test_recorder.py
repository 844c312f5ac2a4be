"""benchmarks/recorder.py: every measurement is written with the machine, date and commit it ran on."""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import recorder  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
TABLE = "| stage | wall time | result |\n| --- | --- | --- |\n| `make test-unit` | 1 min 2 s | passed |\n"


def main_that_prints() -> int:
    print("ratio 1.25: meets the target of 5x")
    return 0


def main_that_fails() -> int:
    print("accuracy 0.5: below the target")
    return 1


def test_without_a_results_folder_nothing_is_written(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("BENCH_RESULTS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert recorder.record(main_that_prints) == 0
    assert capsys.readouterr().out == "ratio 1.25: meets the target of 5x\n"
    assert list(tmp_path.iterdir()) == []


def test_a_result_is_printed_and_written_with_its_machine(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BENCH_RESULTS", str(tmp_path))
    assert recorder.record(main_that_prints) == 0
    assert capsys.readouterr().out == "ratio 1.25: meets the target of 5x\n", "the output must still be printed"
    result = json.loads((tmp_path / "test_recorder.json").read_text())
    assert result["output"] == "ratio 1.25: meets the target of 5x\n"
    assert result["title"] == "benchmarks/recorder.py: every measurement is written with the machine, date and commit it ran on."
    assert result["status"] == 0 and result["format"] == "text"
    assert result["machine"]["cores"] == os.cpu_count() and result["machine"]["cpu"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", result["date"])
    assert re.fullmatch(r"[0-9a-f]{12}", result["commit"]), result["commit"]
    markdown = (tmp_path / "test_recorder.md").read_text()
    assert markdown.startswith("# benchmarks/recorder.py") and "```text\nratio 1.25" in markdown
    assert result["machine"]["cpu"] in markdown and result["commit"] in markdown


def test_a_failed_run_is_recorded_as_failed(tmp_path, monkeypatch):
    monkeypatch.setenv("BENCH_RESULTS", str(tmp_path))
    assert recorder.record(main_that_fails) == 1
    assert json.loads((tmp_path / "test_recorder.json").read_text())["status"] == 1
    assert "FAILED, exit status 1" in (tmp_path / "test_recorder.md").read_text()


def test_the_summary_names_every_result_not_yet_measured(tmp_path):
    text = recorder.summary(tmp_path)
    names = recorder.expected()
    assert {"bench_conv", "bench_restoration", recorder.STAGES} <= set(names)
    for name in names:
        assert re.search(rf"^\| `{name}` \| {recorder.NOT_MEASURED} \| run `make (bench|test)` \|$", text, re.M), name
    assert "###" not in text, "no result, no section"


def test_the_stage_table_is_recorded_with_this_runs_chapter_times(tmp_path):
    table, times = tmp_path / "stages.md", tmp_path / "chapter-times.json"
    table.write_text(TABLE)
    times.write_text(json.dumps({"lessons/01_convolution.ipynb": 12.4}))
    results = tmp_path / "results"
    arguments = ["stages", str(table), "--status", "0", "--seconds", "62", "--chapter-times", str(times),
                 "--results", str(results)]
    assert recorder.main([*arguments, "--started", str(time.time() - 60)]) == 0
    result = json.loads((results / f"{recorder.STAGES}.json").read_text())
    assert result["format"] == "markdown" and result["seconds"] == 62
    assert "| `make test-unit` | 1 min 2 s | passed |" in result["output"]
    assert "| 01_convolution | 12 |" in result["output"]
    summary = (results / "summary.md").read_text()
    assert f"| `{recorder.STAGES}` | exit status 0 |" in summary and "| 01_convolution | 12 |" in summary
    # chapter times older than the run come from another run: left out
    assert recorder.main([*arguments, "--started", str(time.time() + 60)]) == 0
    assert "01_convolution" not in json.loads((results / f"{recorder.STAGES}.json").read_text())["output"]


def test_the_summary_rewrites_itself_from_the_results(tmp_path):
    (tmp_path / "summary.md").write_text("stale\n")
    assert recorder.main(["summary", "--results", str(tmp_path)]) == 0
    assert (tmp_path / "summary.md").read_text() == recorder.summary(tmp_path)


def test_the_committed_summary_is_made_from_the_committed_results():
    assert (RESULTS / "summary.md").read_text() == recorder.summary(RESULTS), \
        "run: python3 benchmarks/recorder.py summary"


def test_at_least_one_committed_result_comes_from_a_real_run():
    found = recorder.load(RESULTS)
    assert any(name.startswith("bench_") for name in found), "commit the results of make bench"
    for name, result in found.items():
        assert name in recorder.expected(), f"{name}.json: no benchmark of that name"
        assert result["machine"]["cpu"] and result["machine"]["cores"] >= 1 and result["output"].strip()


@pytest.mark.parametrize("script", sorted((ROOT / "benchmarks").glob("bench_*.py")), ids=lambda p: p.name)
def test_every_benchmark_records_its_run(script):
    source = script.read_text()
    assert re.search(r"^from recorder import record\b", source, re.M), "import the recorder"
    assert re.search(r"^    (raise SystemExit|sys\.exit)\(record\(main\)\)$", source, re.M), "end with record(main)"


def test_make_bench_and_make_test_record_into_the_results_folder():
    makefile = (ROOT / "Makefile").read_text()
    bench = makefile[makefile.index("\nbench:"):makefile.index("\nclean:")]
    assert "BENCH_RESULTS=benchmarks/results $(BIN)/python $$script" in bench
    assert "for script in benchmarks/bench_*.py" in bench
    test = makefile[makefile.index("\ntest:"):makefile.index("\nexecute:")]
    assert "STAGES_RESULTS=benchmarks/results tools/run_stages.sh" in test
