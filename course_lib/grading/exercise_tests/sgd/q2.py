from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_q2_diagnosis(sgd_step):
    from course_lib import checks
    feedback = checks.check('sgd.q2', sgd_step)
    assert feedback.passed, feedback.message

