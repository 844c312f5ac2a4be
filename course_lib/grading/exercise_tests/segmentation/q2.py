from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 4

@test_case(points=None, hidden=False)
def test_q2_diagnosis(balanced_error_rate):
    from course_lib import checks
    feedback = checks.check('segmentation.q2', balanced_error_rate)
    assert feedback.passed, feedback.message

