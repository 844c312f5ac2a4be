"""course_lib.checks.registry: ids, lazy chapter modules, context values, the check entry point."""

import subprocess
import sys

import pytest

from course_lib import checks
from course_lib.checks import registry


def test_placeholders_are_not_answered_yet():
    for answer in (None, ...):
        feedback = checks.check("4.2", answer)
        assert not feedback and feedback.message == checks.NOT_ANSWERED


def test_an_unknown_exercise_is_named():
    with pytest.raises(ValueError, match=r"^exercise_id '4\.9' is not a known exercise"):
        checks.check("4.9", 1)
    with pytest.raises(ValueError, match=r"^exercise_id '99\.1' is not a known exercise"):
        checks.check("99.1", 1)
    with pytest.raises(ValueError, match=r"^exercise_id must be a string like \"4\.2\" or \"sgd\.q1\"; got 42"):
        checks.check(42, 1)


def test_context_values_are_required_by_name():
    exercise = registry.register(registry.ContextExercise(
        exercise_id="test.context", hint="Look again.", context=("limit",),
        rule=lambda answer, limit: None if answer < limit else ""))
    assert checks.check("test.context", 1, limit=2).passed
    assert checks.check("test.context", 3, limit=2).message == "Look again."
    with pytest.raises(ValueError, match=r"^check\('test\.context', \.\.\.\) needs the context value\(s\) limit: pass"):
        checks.check("test.context", 1)
    with pytest.raises(ValueError, match=r"^check\('test\.context', \.\.\.\) got unexpected context value\(s\) other"):
        checks.check("test.context", 1, limit=2, other=3)
    with pytest.raises(ValueError, match=r"^exercise 'test\.context' is registered twice"):
        registry.register(exercise)
    with pytest.raises(TypeError, match=r"^exercise must be an Exercise; got dict"):
        registry.register({})


def test_the_base_exercise_has_no_judge():
    with pytest.raises(NotImplementedError, match=r"^Exercise must implement judge"):
        registry.Exercise(exercise_id="test.base", hint="").judge(1, {})


def test_importing_checks_loads_no_chapter_and_no_tensorflow():
    code = ("import sys\nfrom course_lib import checks\nchecks.check('3.1', [1, 2, 3, 4])\n"
            "print(sorted(m for m in sys.modules if m.startswith(('tensorflow', 'keras', 'course_lib.checks.chapters.ch0'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['course_lib.checks.chapters.ch03']"
