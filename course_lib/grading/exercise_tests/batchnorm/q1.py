from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=None, hidden=False)
def test_q1_diagnosis(batchnorm_forward):
    from course_lib import checks
    feedback = checks.check('batchnorm.q1', batchnorm_forward)
    assert feedback.passed, feedback.message

