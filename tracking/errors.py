"""MLflow's error form: `{"error_code": ..., "message": ...}` with the matching status.

The mlflow client reads `error_code` (RESOURCE_DOES_NOT_EXIST makes
`set_experiment` create the experiment, for example), so every failure of the
MLflow-compatible endpoints answers in this form.
"""

STATUS_OF = {
    "INVALID_PARAMETER_VALUE": 400,
    "BAD_REQUEST": 400,
    "RESOURCE_ALREADY_EXISTS": 400,
    "INVALID_STATE": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "RESOURCE_DOES_NOT_EXIST": 404,
    "ENDPOINT_NOT_FOUND": 404,
    "INTERNAL_ERROR": 500,
}


class TrackingError(Exception):
    code = "INTERNAL_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    @property
    def status(self) -> int:
        return STATUS_OF[self.code]

    def as_json(self) -> dict:
        return {"error_code": self.code, "message": self.message}


class InvalidValue(TrackingError):
    code = "INVALID_PARAMETER_VALUE"


class DoesNotExist(TrackingError):
    code = "RESOURCE_DOES_NOT_EXIST"


class AlreadyExists(TrackingError):
    code = "RESOURCE_ALREADY_EXISTS"


class Denied(TrackingError):
    code = "PERMISSION_DENIED"
