"""One error body for the whole API: {"error": {"code", "message", "fields"}}."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import StateConflict


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state."
    default_code = "conflict"


class ReferenceNotFound(exceptions.NotFound):
    """A 404 for an object named in the body (not the URL), so the body says which field."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.fields = {field: detail}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, StateConflict):
        exc = Conflict(str(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = {"error": _error_body(exc, response.data)}
    return response


def not_found_view(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's error body, not an HTML page."""
    body = {"code": "not_found", "message": "No such API path.", "fields": {}}
    return JsonResponse({"error": body}, status=404)


def _error_body(exc: exceptions.APIException, data) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(data) if isinstance(data, dict) else {"non_field_errors": _flatten(data)}
        first = next(iter(fields.items()), ("", ""))
        message = f"{first[0]}: {first[1]}" if first[0] != "non_field_errors" else str(first[1])
        return {"code": "invalid", "message": message, "fields": fields}
    detail = data.get("detail", "") if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or exc.default_code
    return {"code": code, "message": str(detail), "fields": getattr(exc, "fields", {})}


def _flatten(value):
    """Serializer errors to plain strings: a list of one message becomes the message."""
    if isinstance(value, dict):
        return {key: _flatten(item) for key, item in value.items()}
    if isinstance(value, list):
        flat = [_flatten(item) for item in value]
        return flat[0] if len(flat) == 1 and isinstance(flat[0], str) else flat
    return str(value)
