from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_q2_format(decoder_shapes):
    assert len(decoder_shapes) == 3, 'one shape per layer'
    assert all((len(tuple(shape)) == 3 for shape in decoder_shapes)), 'each shape is (rows, cols, channels)'

