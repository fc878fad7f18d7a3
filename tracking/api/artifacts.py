"""MLflow's artifact proxy, `/api/2.0/mlflow-artifacts/artifacts/...`: a run's files
go through Modelyard into the version's artifacts, so a training machine needs no
storage credentials. Paths are `<experiment id>/<run id>/artifacts/<relative path>`.
"""

import posixpath
import tempfile

from django.conf import settings
from django.core.files import File
from django.http import FileResponse
from rest_framework.response import Response

from registry.services.files import human_size
from tracking import selectors, services
from tracking.api.views import WRITE, MlflowView
from tracking.errors import DoesNotExist, InvalidValue

CHUNK = 1 << 20


class ArtifactFile(MlflowView):
    parser_classes = []  # the body is the file itself, read as a stream

    def put(self, request, path: str):
        run, relative = _run_and_path(request.user, path, WRITE)
        if not relative:
            raise InvalidValue("Give the artifact's path after '<run id>/artifacts/'.")
        with tempfile.TemporaryFile() as spool:
            _receive(request, spool)
            file = File(spool, name=posixpath.basename(relative))
            services.run_log_artifact(run=run, file=file, path=relative, user=request.user)
        return Response({})

    def get(self, request, path: str):
        run, relative = _run_and_path(request.user, path, selectors.READ_ROLE)
        artifact = selectors.run_artifact(run, relative)
        return FileResponse(
            artifact.file.open("rb"),
            as_attachment=True,
            filename=posixpath.basename(artifact.name),
            content_type="application/octet-stream",
        )


class ArtifactList(MlflowView):
    def get(self, request):
        path = self.field(request, "path", required=False) or ""
        run, relative = _run_and_path(request.user, path, selectors.READ_ROLE)
        return Response({"files": selectors.run_artifact_listing(run, relative)})


def _run_and_path(user, path: str, role: str):
    parts = (path or "").strip("/").split("/", 3)
    if len(parts) < 3 or parts[2] != "artifacts" or ".." in parts[-1].split("/"):
        raise DoesNotExist(f"No artifact at {path!r}: paths are <experiment>/<run>/artifacts/...")
    experiment_id, run_id = parts[0], parts[1]
    run = selectors.run_for(user, run_id, role)
    if str(run.experiment_id) != experiment_id:
        raise DoesNotExist(f"Run with id={run_id!r} not found in experiment {experiment_id}.")
    return run, parts[3] if len(parts) == 4 else ""


def _receive(request, spool) -> None:
    """The request body into `spool`, refusing it once it passes MAX_ARTIFACT_BYTES."""
    received = 0
    while chunk := request._request.read(CHUNK):
        received += len(chunk)
        if received > settings.MAX_ARTIFACT_BYTES:
            raise InvalidValue(
                f"Artifacts are limited to {human_size(settings.MAX_ARTIFACT_BYTES)}."
            )
        spool.write(chunk)
    spool.seek(0)
