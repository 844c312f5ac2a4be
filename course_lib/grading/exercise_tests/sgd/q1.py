from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_diagnosis(softmax_cross_entropy):
    from course_lib import checks
    feedback = checks.check('sgd.q1', softmax_cross_entropy)
    assert feedback.passed, feedback.message

