"""Graded exercise decoder: the public check recognises the typical mistakes."""

from course_lib import checks


def _size(size, kernel_size, stride, padding):
    return size * stride if padding == "same" else (size - 1) * stride + kernel_size


def test_transpose_size_mistakes_are_recognised(assert_function_exercise):
    assert_function_exercise("decoder.q1", _size, {
        "forward_formula": lambda n, k, s, p: (n - k) // s + 1 if p == "valid" else -(-n // s),
        "padding_ignored": lambda n, k, s, p: (n - 1) * s + k,
        "n_strides": lambda n, k, s, p: n * s if p == "same" else n * s + k,
    })


def test_an_unknown_mistake_is_shown_on_its_case():
    feedback = checks.check("decoder.q1", lambda n, k, s, p: _size(n, k, s, p) + (p == "valid" and k > s))
    assert feedback.message.startswith("Case 2 of 6 (n=7, k=3, s=2, p='valid'): your function returned 16 (int); "
                                      "not the expected value.")
