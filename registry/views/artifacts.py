"""Artifact upload, download and delete, on the model-version page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from registry.forms.models import ArtifactUploadForm
from registry.models import Artifact, ModelVersion, Role
from registry.services.artifacts import artifact_delete, artifact_upload
from registry.views.models import get_model_for_user


def _get_artifact(model: ModelVersion, artifact_id: int) -> Artifact:
    try:
        return model.artifacts.get(pk=artifact_id)
    except Artifact.DoesNotExist:
        raise Http404("No such artifact.") from None


def _back_to_model(model: ModelVersion, project_id: int) -> HttpResponse:
    url = reverse("registry:model_detail", args=[project_id, model.id])
    return redirect(f"{url}#artifacts")


@login_required
@require_POST
def artifact_upload_view(request: HttpRequest, project_id: int, model_id: int) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    form = ArtifactUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back_to_model(model, project.id)
    try:
        artifact = artifact_upload(
            model=model,
            file=form.cleaned_data["file"],
            user=request.user,
            name=form.cleaned_data["name"],
            replace=form.cleaned_data["replace"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Artifact {artifact.name} uploaded.")
    return _back_to_model(model, project.id)


@login_required
@require_GET
def artifact_download(
    request: HttpRequest, project_id: int, model_id: int, artifact_id: int
) -> FileResponse:
    # Public pretrained weights are readable from every project the user is in.
    _project, model = get_model_for_user(request, project_id, model_id, public_ok=True)
    artifact = _get_artifact(model, artifact_id)
    # Streams from whichever storage holds it (local folder or S3), never from a public URL.
    return FileResponse(
        artifact.file.open("rb"),
        as_attachment=True,
        filename=artifact.name,
        content_type=artifact.content_type or "application/octet-stream",
    )


@login_required
@require_POST
def artifact_delete_view(
    request: HttpRequest, project_id: int, model_id: int, artifact_id: int
) -> HttpResponse:
    project, model = get_model_for_user(request, project_id, model_id, Role.DEVELOPER)
    artifact = _get_artifact(model, artifact_id)
    artifact_delete(artifact=artifact)
    messages.success(request, f"Artifact {artifact.name} deleted.")
    return _back_to_model(model, project.id)
