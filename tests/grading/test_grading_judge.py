"""Fast tests of the judge's parts: the wire format, test files, the sandbox command, the autograder reader."""

from __future__ import annotations

import base64
import io
import json
import zipfile

import numpy as np
import pytest

from course_lib.grading import judge, sandbox, testfiles, wire


def test_wire_round_trip_keeps_types():
    value = {"a": (1, 2.5, [np.arange(3.0), np.float32(1.5)]), "b": float("nan"), "c": None}
    back = wire.decode(wire.loads(wire.dumps({"v": wire.encode(value)}))["v"])
    assert back["a"][0] == 1 and isinstance(back["a"], tuple) and np.isnan(back["b"]) and back["c"] is None
    assert back["a"][2][0].tolist() == [0.0, 1.0, 2.0] and back["a"][2][1].dtype == np.float32


def test_wire_keeps_other_objects_in_the_kernel():
    kept = []
    data = wire.encode(object(), keep=lambda v: kept.append(v) or len(kept))
    assert data == {"$h": 1, "type": "object"} and repr(wire.decode(data)) == "<student object #1 of type object>"
    with pytest.raises(wire.WireError, match="cannot send a object"):
        wire.encode(object())


def npy(array: np.ndarray) -> str:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return base64.b64encode(buffer.getvalue()).decode()


def test_wire_refuses_what_is_not_plain_data():
    with pytest.raises(wire.WireError, match="unknown tag"):
        wire.decode({"__reduce__": "os.system"})
    with pytest.raises(wire.WireError, match="dtype that may not cross"):
        wire.decode({"$a": npy(np.zeros(2, dtype=[("x", "f8")]))})
    with pytest.raises(wire.WireError, match="dtype that may not cross"):
        wire.decode({"$a": npy(np.array(["a"]))})
    header = io.BytesIO()
    np.lib.format.write_array_header_1_0(header, {"descr": "|O", "fortran_order": False, "shape": (1,)})
    pickled = base64.b64encode(header.getvalue() + b"cos\nsystem\n(S'echo pwned'\ntR.").decode()
    with pytest.raises(wire.WireError, match="bad array payload"):
        wire.decode({"$a": pickled})
    with pytest.raises(wire.WireError, match="scalar payload is not 0-d"):
        wire.decode({"$s": npy(np.zeros(2))})
    with pytest.raises(wire.WireError, match="nested too deeply"):
        wire.decode(json.loads("[" * 40 + "]" * 40))
    with pytest.raises(wire.WireError, match="non-JSON constant NaN"):
        wire.loads(b'{"v": NaN}')
    with pytest.raises(wire.WireError, match="message is not an object"):
        wire.loads(b"[1]")
    with pytest.raises(wire.WireError, match="not JSON"):
        wire.loads(b"{")


def test_test_files_need_a_name_and_consistent_points():
    with pytest.raises(ValueError, match="defines no name or no @test_case function"):
        testfiles.load_test_file("x = 1")
    with pytest.raises(ValueError, match="test cases declare 3 points, more than the question's 2"):
        testfiles.resolve_points(2, [3, None])


def test_sandbox_command_modes():
    assert sandbox.sandbox_command(["true"], root="/r", home="/h", mode="none") == ["true"]
    command = sandbox.sandbox_command(["true"], root="/r", home="/h", mode="userns")
    assert command[:3] == ["unshare", "--user", "--map-root-user"] and command[-2:] == ["--", "true"]
    with pytest.raises(ValueError, match="mode must be 'root', 'userns' or 'none'; got 'docker'"):
        sandbox.sandbox_command(["true"], root="/r", home="/h", mode="docker")


def test_sandbox_hides_the_repository():
    paths = sandbox.readable_paths()
    assert not any(p.endswith("/exercises") or p.endswith("/tests") for p in paths)
    assert any(p.endswith("course_lib") for p in paths)


def test_read_assignment_refuses_other_files(tmp_path):
    path = tmp_path / "x.zip"
    path.write_text("nope")
    with pytest.raises(ValueError, match="is not an otter autograder zip"):
        judge.read_assignment(path)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("otter_config.json", "{}")
    with pytest.raises(ValueError, match="holds no tests/\\*.py"):
        judge.read_assignment(path)


def test_clean_work_root_removes_folders_of_dead_graders(tmp_path):
    (tmp_path / "999999999-a").mkdir()
    (tmp_path / "not-a-pid").mkdir()
    import os

    (tmp_path / f"{os.getpid()}-alive").mkdir()
    removed = judge.clean_work_root(tmp_path)
    assert sorted(p.name for p in removed) == ["999999999-a", "not-a-pid"]
    assert (tmp_path / f"{os.getpid()}-alive").is_dir()


def tiny_assignment() -> judge.Assignment:
    source = ("from otter.test_files import test_case\nname = 'q1'\npoints = 2\n"
              "@test_case(hidden=False)\ndef test_value(x):\n    assert x == 3, 'x should be 3'\n"
              "@test_case(hidden=True)\ndef test_double(double):\n    assert double(2) == 4 and double(2.5) == 5.0\n")
    return judge.Assignment("tiny", {"q1": testfiles.load_test_file(source)})


def run_judge(tmp_path, cells: list[str], **options):
    notebook = {"cells": [{"cell_type": "code", "source": s, "metadata": {}} for s in cells]}
    settings = {"timeout": 60, "cell_timeout": 20, "call_timeout": 20, "start_timeout": 60, "memory_mb": 2048,
                "isolation": sandbox.isolation_mode(), **options}
    with open(tmp_path / "log", "wb") as log:
        return judge.judge_notebook(tiny_assignment(), notebook, {}, tmp_path / "work", settings, log)


@pytest.mark.slow
def test_judge_scores_each_case_and_survives_a_call_that_exits(tmp_path):
    (tmp_path / "work").mkdir()
    result = run_judge(tmp_path, ["x = 3", "import os\ndef double(v):\n    os._exit(3)"])
    assert result["scores"] == {"q1": 1.0} and result["feedback"] == ["q1 results: All test cases passed! (1 test case)"]


@pytest.mark.slow
def test_judge_stops_at_the_submission_time_limit(tmp_path):
    (tmp_path / "work").mkdir()
    result = run_judge(tmp_path, ["import time\ntime.sleep(2)"] * 4 + ["x = 3"], timeout=3)
    assert result["timed_out"] and result["scores"] == {"q1": 0.0}


def test_grading_refuses_to_run_without_a_sandbox(tmp_path, monkeypatch):
    monkeypatch.setattr(sandbox, "isolation_mode", lambda: "none")
    path = tmp_path / "ag.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("tests/q1.py", "from otter.test_files import test_case\nname = 'q1'\n@test_case()\ndef test_a():\n    pass\n")
    from course_lib.grading import cli

    with pytest.raises(RuntimeError, match="no sandbox on this machine"):
        cli.grade_submissions(path, tmp_path, tmp_path / "g.csv")


def test_wire_refuses_huge_messages(monkeypatch):
    monkeypatch.setattr(wire, "MAX_MESSAGE_BYTES", 10)
    with pytest.raises(wire.WireError, match="message too big"):
        wire.loads(b'{"value": "0123456789"}')
