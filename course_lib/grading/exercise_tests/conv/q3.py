from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 1

@test_case(points=None, hidden=False)
def test_q3_type(n_parameters):
    assert isinstance(n_parameters, int), 'give an int'

