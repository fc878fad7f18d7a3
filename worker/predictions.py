"""An adapter's predictions as rows: what the evaluate job stores and a predict job keeps."""

from data.models import Item


def prediction_rows(item: Item, predictions: list[dict], known: set[str]) -> list[dict]:
    """The adapter's predictions as predictions_add rows.

    Labels outside the dataset's label map are dropped (a model may know more labels
    than the dataset), boxes are clipped to the image (and dropped when nothing of them
    is inside) and confidences to [0, 1]: float noise in an adapter must not fail the
    whole evaluation.
    """
    rows = []
    for prediction in predictions:
        if prediction["label"] not in known:
            continue
        row = {
            "item": item.id,
            "label": prediction["label"],
            "confidence": min(max(float(prediction["confidence"]), 0.0), 1.0),
        }
        if prediction.get("box") is not None:
            row["box"] = clip_box(prediction["box"], item.width, item.height)
            if row["box"][2] <= 0 or row["box"][3] <= 0:
                continue  # wholly outside the image: nothing of it could match
        rows.append(row)
    return rows


def clip_box(box, width: int, height: int) -> list[float]:
    x, y, w, h = (float(value) for value in box)
    left, top = min(max(x, 0.0), width), min(max(y, 0.0), height)
    right, bottom = min(max(x + w, left), width), min(max(y + h, top), height)
    return [left, top, right - left, bottom - top]
