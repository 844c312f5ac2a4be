from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 1

@test_case(points=None, hidden=False)
def test_q3_diagnosis(n_parameters):
    from course_lib import checks
    assert isinstance(n_parameters, int), 'give an int'
    feedback = checks.check('conv.q3', n_parameters)
    assert feedback.passed, feedback.message

