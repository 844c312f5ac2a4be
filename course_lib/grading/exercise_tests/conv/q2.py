from otter.test_files import test_case

OK_FORMAT = False

name = "q2"
points = 3

@test_case(points=None, hidden=False)
def test_q2_examples(conv_output_size):
    assert conv_output_size(5, 3, 0, 1) == 3, 'valid padding loses kernel_size - 1 pixels'
    assert conv_output_size(5, 3, 1, 1) == 5, "padding 1 keeps a 3x3 convolution's size"

