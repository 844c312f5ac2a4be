from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 4

@test_case(points=None, hidden=False)
def test_q1_diagnosis(iou_per_class):
    from course_lib import checks
    feedback = checks.check('segmentation.q1', iou_per_class)
    assert feedback.passed, feedback.message

