from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_diagnosis(grad_cam):
    from course_lib import checks
    feedback = checks.check('gradcam.q1', grad_cam)
    assert feedback.passed, feedback.message

