from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_diagnosis(correlate2d_loop):
    from course_lib import checks
    feedback = checks.check('conv.q1', correlate2d_loop)
    assert feedback.passed, feedback.message

