from registry.adapters.base import StubAdapter


class ShapesDetectorAdapter(StubAdapter):
    """A small detector for the generated shapes: circles, squares and triangles.

    It will propose boxes on each image, classify them with a model trained on the
    dataset's ground-truth boxes (epochs, learning_rate, seed from the
    configuration), keep those over score_threshold after non-maximum suppression
    at nms_iou_threshold, and predict boxes with labels and confidences per item.
    """
