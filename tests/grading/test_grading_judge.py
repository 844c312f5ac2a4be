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
    with pytest.raises(ValueError, match=r"test cases declare 3 points, more than the question's total=2; raise"):
        testfiles.resolve_points(2, [3, None])


def test_resolve_points_names_the_bad_argument():
    """Found by the fuzz pass over every public function (issue 22)."""
    assert testfiles.resolve_points([1, 2.5], [None, 4]) == [1, 2.5]  # otter's one value per case
    assert testfiles.resolve_points(1.5, [None, None]) == [0.75, 0.75]  # fractional totals are fine
    with pytest.raises(TypeError, match=r"^total must be a real number; got '3' \(str\)"):
        testfiles.resolve_points("3", [None, None])
    with pytest.raises(ValueError, match=r"^total must be >= 0"):
        testfiles.resolve_points(-1, [None])
    with pytest.raises(ValueError, match=r"^total lists 1 points but the file has 2 test cases"):
        testfiles.resolve_points([1], [None, None])
    with pytest.raises(TypeError, match=r"^total must be a real number; got 'x'"):
        testfiles.resolve_points([1, "x"], [None, None])
    with pytest.raises(TypeError, match=r"^declared must be a list of points \(a number or None per test case\); got str"):
        testfiles.resolve_points(4, "abc")
    with pytest.raises(TypeError, match=r"^declared must be a real number; got 'a'"):
        testfiles.resolve_points(4, [None, "a"])
    with pytest.raises(ValueError, match=r"^declared must be >= 0; got -1"):
        testfiles.resolve_points(4, [None, -1])


def test_plural_and_summary_name_the_bad_argument():
    """Found by the fuzz pass over every public function (issue 22)."""
    assert testfiles.plural(0, "test case") == "0 test cases"
    for count in ("3", None, 1.5, True):
        with pytest.raises(TypeError, match=r"^count must be an integer"):
            testfiles.plural(count, "test case")
    with pytest.raises(ValueError, match=r"^count must be >= 0; got -1"):
        testfiles.plural(-1, "test case")
    with pytest.raises(TypeError, match=r"^noun must be a string; got 3 \(int\)"):
        testfiles.plural(2, 3)
    case = testfiles.Case("test_a", 1.0, False, None, [])
    assert testfiles.summary("q1", []) == "q1 results: All test cases passed! (0 test cases)"
    with pytest.raises(TypeError, match=r"^results must be a list of \(case, passed, message\) triples; got str"):
        testfiles.summary("q1", "abc")
    item = r"^results must be a list of \(Case, passed, message\) triples; got an item \('test_a', True, ''\)"
    with pytest.raises(TypeError, match=item):
        testfiles.summary("q1", [("test_a", True, "")])
    with pytest.raises(TypeError, match=r"^results must be a list .* got an item \(Case"):
        testfiles.summary("q1", [(case, False, None)])


def test_score_question_names_the_bad_argument():
    """Found by the fuzz pass over every public function (issue 22)."""
    test = judge.TestFile("q1", 3.0, [testfiles.Case("a", 1.0, False, None, []), testfiles.Case("b", 2.0, True, None, [])])
    assert judge.score_question(test, {"b": True}) == 2.0
    with pytest.raises(TypeError, match=r"^test must be a TestFile \(from load_test_file\); got str"):
        judge.score_question("abc", {"a": True})
    with pytest.raises(TypeError, match=r"^test must be a TestFile .*got NoneType"):
        judge.score_question(None, {"a": True})
    with pytest.raises(TypeError, match=r"^passed must be a dict \(case name -> passed\); got str"):
        judge.score_question(test, "abc")


def test_wire_dumps_and_loads_name_the_bad_argument():
    """Found by the fuzz pass over every public function (issue 22): a non-dict used to go out silently."""
    assert wire.loads(bytearray(b'{"op": "run"}')) == {"op": "run"}
    with pytest.raises(TypeError, match=r'^message must be a dict \(one protocol message, e\.g\. \{"op": "call"\}\); got str'):
        wire.dumps("abc")
    with pytest.raises(TypeError, match=r"^message must be a dict .*got list"):
        wire.dumps([{"op": "run"}])
    with pytest.raises(TypeError, match=r'^line must be bytes \(one line read from the pipe\); got str\. Encode it'):
        wire.loads("abc")
    with pytest.raises(TypeError, match=r"^line must be bytes \(one line read from the pipe\); got NoneType"):
        wire.loads(None)


def test_sandbox_command_modes():
    assert sandbox.sandbox_command(["true"], root="/r", home="/h", mode="none") == ["true"]
    command = sandbox.sandbox_command(["true"], root="/r", home="/h", mode="userns")
    assert command[:3] == ["unshare", "--user", "--map-root-user"] and command[-2:] == ["--", "true"]
    with pytest.raises(ValueError, match="mode must be 'root', 'userns' or 'none'; got 'docker'"):
        sandbox.sandbox_command(["true"], root="/r", home="/h", mode="docker")


def test_sandbox_sees_readable_paths_below_tmp(tmp_path, monkeypatch):
    # a repository cloned into /tmp: its interpreter and course_lib lie below the sandbox's own
    # scratch /tmp, which must not hide them
    import subprocess
    import sys

    mode = sandbox.isolation_mode()
    if mode == "none":
        pytest.skip("no namespaces on this machine: nothing is mounted")
    shared = tmp_path / "clone"
    shared.mkdir()
    (shared / "note.txt").write_text("visible")
    shared.chmod(0o755), tmp_path.chmod(0o755)
    monkeypatch.setattr(sandbox, "readable_paths", lambda real=sandbox.readable_paths: [*real(), str(shared)])
    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir(), home.mkdir()
    script = f"print(open({str(shared / 'note.txt')!r}).read()); open('/tmp/scratch', 'w').write('x')"
    result = subprocess.run(sandbox.sandbox_command([sys.executable, "-c", script], root=str(root), home=str(home),
                                                    mode=mode), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.strip() == "visible", result.stderr[-500:]


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
