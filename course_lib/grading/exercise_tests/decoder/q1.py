from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 2

@test_case(points=None, hidden=False)
def test_q1_diagnosis(transpose_output_size):
    from course_lib import checks
    feedback = checks.check('decoder.q1', transpose_output_size)
    assert feedback.passed, feedback.message

