from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 4

@test_case(points=None, hidden=False)
def test_q2_diagnosis(batchnorm_forward, batchnorm_backward):
    from course_lib import checks
    feedback = checks.check('batchnorm.q2', batchnorm_backward, forward=batchnorm_forward)
    assert feedback.passed, feedback.message

