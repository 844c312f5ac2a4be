from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 2

@test_case(points=None, hidden=False)
def test_q2_diagnosis(gabor_bank):
    from course_lib import checks
    feedback = checks.check('gabor.q2', gabor_bank)
    assert feedback.passed, feedback.message

