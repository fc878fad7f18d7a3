"""Files the data pages and the data API hand out."""

from django.http import StreamingHttpResponse
from django.utils.text import slugify

from data.services.exports import dataset_export_coco


def coco_download(dataset) -> StreamingHttpResponse:
    """The dataset as a COCO JSON attachment, streamed: a million items never sit in memory."""
    response = StreamingHttpResponse(dataset_export_coco(dataset), content_type="application/json")
    filename = f"{slugify(dataset.name) or 'dataset'}-coco.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
