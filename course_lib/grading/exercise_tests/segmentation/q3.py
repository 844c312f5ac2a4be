from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=None, hidden=False)
def test_q3_is_a_class_name(q3_answer):
    assert q3_answer in ('brick', 'grass', 'gravel'), 'answer with one of the texture names, as a string'

