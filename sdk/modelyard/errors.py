"""Typed exceptions: one class per HTTP status the server answers with, and job outcomes.

Every server error carries the server's ``code``, ``message`` and ``fields``
(from the API's error body ``{"error": {"code", "message", "fields"}}``), the
HTTP ``status`` and the raw ``response``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import requests


class ModelyardError(Exception):
    """The base of every error this package raises."""

    status: int | None = None

    def __init__(
        self,
        message: str,
        *,
        code: str = "",
        fields: dict[str, Any] | None = None,
        status: int | None = None,
        response: requests.Response | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fields = dict(fields or {})
        if status is not None:
            self.status = status
        self.response = response

    def __str__(self) -> str:
        prefix = f"{self.status} " if self.status else ""
        code = f"{self.code}: " if self.code else ""
        return f"{prefix}{code}{self.message}"


class NotLoggedIn(ModelyardError):
    """No server URL or token: call `modelyard.login(url, token)` or set the environment."""


class BadRequest(ModelyardError):
    status = 400


class Unauthorized(ModelyardError):
    status = 401


class Forbidden(ModelyardError):
    status = 403


class NotFound(ModelyardError):
    status = 404


class Conflict(ModelyardError):
    status = 409


class ServerError(ModelyardError):
    """A 5xx answer (after the retries, for calls that are retried)."""

    status = 500


class ConnectionFailed(ModelyardError):
    """The server could not be reached (after the retries, for calls that are retried)."""


class InvalidArgument(ModelyardError, ValueError):
    """An argument the SDK refuses before asking the server, e.g. ``dataset_id="datasetId"``:
    ``argument`` names it (``fields`` too, as for a 400), ``message`` says what it takes."""

    def __init__(self, argument: str, message: str) -> None:
        super().__init__(message, code="invalid", fields={argument: message})
        self.argument = argument


class Ambiguous(ModelyardError):
    """A name matched several objects: say which project, or use the id."""


class JobError(ModelyardError):
    """A job ended without succeeding; `job` is its last state."""

    def __init__(self, job: Any, message: str) -> None:  # a modelyard.Job
        super().__init__(message, code=job.status)
        self.job = job


class JobFailed(JobError):
    """The job failed; the message is the server's error (with its traceback)."""


class JobCancelled(JobError):
    """The job was cancelled before it finished."""


class JobTimeout(ModelyardError, TimeoutError):
    """`Job.wait(timeout=...)` ran out of time; the job goes on on the server."""


class MetricsNotSent(ModelyardError):
    """An offline run gave up on some points (the server refused them or stayed away)."""

    def __init__(self, message: str, *, points: int, cause: BaseException) -> None:
        super().__init__(message)
        self.points = points
        self.cause = cause


_BY_STATUS: dict[int, type[ModelyardError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
}


def error_for(response: requests.Response) -> ModelyardError:
    """The typed exception for an error answer, with the server's message and fields."""
    code, message, fields = _error_body(response)
    status = response.status_code
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else ModelyardError)
    return cls(message, code=code, fields=fields, status=status, response=response)


def _error_body(response: requests.Response) -> tuple[str, str, dict[str, Any]]:
    try:
        body = response.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        fields = error.get("fields") if isinstance(error.get("fields"), dict) else {}
        return str(error.get("code", "")), str(error.get("message", "")), fields
    if isinstance(body, dict) and "detail" in body:
        return "", str(body["detail"]), {}
    text = response.text.strip()[:500]
    return "", text or response.reason or f"HTTP {response.status_code}", {}


class QueueWarning(UserWarning):
    """`train()` queued a job on a queue no running worker listens on: it waits until one
    starts (``celery -A config worker --queues <queue>``)."""
