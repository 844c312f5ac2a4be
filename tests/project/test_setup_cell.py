"""The chapters' setup cell, run as Colab would: pinned install, skipped when present, offline-tolerant.

The cell's code runs in a subprocess with a fake ``google.colab`` module, a pip stub in place
of ``sys.executable`` (it records its arguments and succeeds or fails on request) and, where
a test says so, a fake installed course_lib whose ``direct_url.json`` names the ref it came from.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import setup_cell  # noqa: E402

REF = "v9.9.9"

WRAPPER = '''
import importlib.metadata, sys, types
sys.modules["google.colab"] = types.ModuleType("google.colab")
settings = {settings!r}
if settings["site"]:
    sys.path.insert(0, settings["site"])
if settings["absent"]:  # no course_lib distribution at all
    real = importlib.metadata.distribution
    def distribution(name):
        if name == "course_lib":
            raise importlib.metadata.PackageNotFoundError(name)
        return real(name)
    importlib.metadata.distribution = distribution
sys.executable = settings["pip"]
exec(compile(open(settings["cell"]).read(), "setup_cell", "exec"))
'''


QUICK_LINE = "course_lib: quick profile (small data, few epochs), bundled data only"


def run_cell(tmp_path, *, installed_ref=None, absent=False, pip_fails=False, environment=None, source=None):
    """Run the setup cell as Colab would; return (completed process, the pip stub's calls)."""
    cell = tmp_path / "cell.py"
    cell.write_text(source or setup_cell.setup_source(REF))
    calls = tmp_path / "pip_calls.txt"
    pip = tmp_path / "pip_stub"
    pip.write_text(f"#!/bin/sh\necho \"$@\" >> {calls}\n" + ("echo 'network is unreachable' >&2\nexit 1\n" if pip_fails else "exit 0\n"))
    pip.chmod(0o755)
    site = ""
    if installed_ref is not None:
        info = tmp_path / "site" / "course_lib-0.1.0.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: course_lib\nVersion: 0.1.0\n")
        (info / "direct_url.json").write_text(json.dumps(
            {"url": "https://example.org/course-book", "vcs_info": {"vcs": "git", "requested_revision": installed_ref,
                                                                    "commit_id": "0123456789abcdef"}}))
        site = str(tmp_path / "site")
    script = WRAPPER.format(settings={"site": site, "absent": absent, "pip": str(pip), "cell": str(cell)})
    env = {key: value for key, value in os.environ.items() if key not in ("COURSE_PROFILE", "COURSE_DATA")}
    env.update({"PYTHONWARNINGS": "ignore", **(environment or {})})
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    return done, (calls.read_text().splitlines() if calls.exists() else [])


def test_the_cell_skips_the_install_when_the_pinned_version_is_present(tmp_path):
    done, calls = run_cell(tmp_path, installed_ref=REF)
    assert done.returncode == 0, done.stderr
    assert calls == []
    assert done.stdout == QUICK_LINE + "\n"  # Colab's default: the quick profile


def test_the_cell_installs_the_pinned_ref_when_another_is_present(tmp_path):
    done, calls = run_cell(tmp_path, installed_ref="v0.0.1")
    assert done.returncode == 0, done.stderr
    url, _ = setup_cell.repository()
    assert len(calls) == 1 and calls[0].endswith(f"pip install --quiet course_lib @ git+{url}@{REF}")


def test_the_cell_goes_on_offline_when_course_lib_is_present(tmp_path):
    done, calls = run_cell(tmp_path, installed_ref="v0.0.1", pip_fails=True)
    assert done.returncode == 0, done.stderr
    assert len(calls) == 1
    lines = done.stdout.strip().splitlines()
    assert lines[0] == f"Warning: could not install course_lib {REF} (no network?); using the one installed."
    assert lines[1:] == [QUICK_LINE]


def test_the_cell_stops_with_pips_message_when_nothing_is_installed_and_pip_fails(tmp_path):
    done, _ = run_cell(tmp_path, absent=True, pip_fails=True)
    assert done.returncode == 1
    assert "RuntimeError: could not install course_lib (no network?):" in done.stderr
    assert "network is unreachable" in done.stderr


@pytest.mark.parametrize("form", ["quick", "full"])
def test_the_form_field_sets_the_profile_in_colab(tmp_path, form):
    source = setup_cell.setup_source(REF).replace('PROFILE = "quick"  # @param', f'PROFILE = "{form}"  # @param')
    other = "full" if form == "quick" else "quick"
    done, _ = run_cell(tmp_path, installed_ref=REF, source=source, environment={"COURSE_PROFILE": other})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"course_lib: {form} profile")  # the form wins over the environment


def test_the_cell_is_a_colab_form_with_one_profile_switch():
    source = setup_cell.setup_source(REF)
    assert source.startswith("# @title ")
    assert source.count("# @param") == 1 and 'PROFILE = "quick"  # @param ["quick", "full"]' in source
    assert f'REF = "{REF}"' in source and setup_cell.REF_LINE.search(source).group(1) == REF


def test_outside_colab_the_cell_installs_nothing_and_keeps_the_environments_profile(tmp_path):
    done = subprocess.run([sys.executable, "-c", setup_cell.setup_source(REF)], cwd=tmp_path, capture_output=True,
                          text=True, env={**os.environ, "COURSE_PROFILE": "full", "COURSE_DATA": "offline",
                                          "PYTHONWARNINGS": "ignore"}, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "course_lib: full profile (more data, long training), bundled data only\n"


def test_the_profile_line_fits_the_page():
    for profile in ("quick", "full"):
        for data in ("offline", "auto"):
            line = subprocess.run([sys.executable, "-c", "from course_lib import config; print(config.describe())"],
                                  capture_output=True, text=True, check=True,
                                  env={**os.environ, "COURSE_PROFILE": profile, "COURSE_DATA": data}).stdout
            assert len(line.strip()) <= 72, line


def test_a_bad_ref_is_refused():
    with pytest.raises(SystemExit, match="ref must be a git tag, branch or commit"):
        setup_cell.setup_source("main; rm -rf /")


def test_write_puts_the_cell_and_its_output_in_a_chapter_once(tmp_path):
    chapter = tmp_path / "01_x.ipynb"
    chapter.write_text((ROOT / "lessons" / "01_convolution.ipynb").read_text())
    source = setup_cell.setup_source(REF)
    assert setup_cell.write(chapter, source, QUICK_LINE + "\n")
    cell = setup_cell.first_code_cell(json.loads(chapter.read_text()))
    assert "".join(cell["source"]) == source and cell["metadata"]["cellView"] == "form"
    assert cell["metadata"]["tags"][:2] == setup_cell.TAGS
    assert cell["outputs"] == [{"name": "stdout", "output_type": "stream", "text": [QUICK_LINE + "\n"]}]
    assert not setup_cell.write(chapter, source, QUICK_LINE + "\n")  # nothing left to change


def test_the_stored_output_is_what_the_cell_prints_outside_colab():
    assert setup_cell.run_output(setup_cell.setup_source(REF)) == QUICK_LINE + "\n"
