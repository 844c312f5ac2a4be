from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_q2_diagnosis(conv_output_size):
    from course_lib import checks
    feedback = checks.check('conv.q2', conv_output_size)
    assert feedback.passed, feedback.message

