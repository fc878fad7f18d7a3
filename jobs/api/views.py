"""Jobs: what runs in the workers, with its progress, log and error."""

import django_filters
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.fields import VisibleRelatedField
from jobs import services as job_services
from jobs.api.serializers import JobSerializer
from jobs.checkpoints import model_train_resume
from jobs.models import Job, JobKind, JobStatus
from jobs.selectors import jobs_of, queue_warning
from registry.api.base import ModelActionViewSet, ScopedViewSet
from registry.api.scopes import in_visible_projects
from registry.models import ModelVersion, Role

# The data app sits beside this one, so the dataset model is reached through the relation.
DATASET = ModelVersion._meta.get_field("dataset").related_model


class JobFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=JobKind.choices)
    status = django_filters.ChoiceFilter(choices=JobStatus.choices)

    class Meta:
        model = Job
        fields = ["project", "model", "kind", "status"]


class JobViewSet(ScopedViewSet):
    """Jobs of the caller's projects. Members read; developers cancel."""

    queryset = Job.objects.all()
    serializer_class = JobSerializer
    filterset_class = JobFilter
    action_roles = {"cancel": Role.DEVELOPER}

    def scoped_queryset(self, user) -> QuerySet:
        return jobs_of(user).select_related("model", "created_by")

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self.output(job_services.job_reaped_if_stale(job=self.get_object()))

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request: Request, pk: str) -> Response:
        """A queued job ends at once; a running one stops at its next safe point."""
        job = job_services.job_cancel(job=self.get_object(), user=request.user)
        return self.output(job)


class TrainSerializer(serializers.Serializer):
    """The body of POST /models/{id}/train (none is needed)."""

    dataset = VisibleRelatedField(
        in_visible_projects(DATASET),
        queryset=DATASET.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text="Train on this dataset of the model's project: it becomes the model's "
        "dataset; its labels become the model's unless the model's name them all already.",
    )
    resume = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Go on from the last checkpoint of the model's interrupted (failed or "
        "cancelled) training, at the epoch after it; 409 when there is none.",
    )


class ModelTrainViewSet(ModelActionViewSet):
    """POST /models/{id}/train."""

    serializer_class = JobSerializer
    input_serializers = {"train": TrainSerializer}

    @extend_schema(request=TrainSerializer, responses={201: JobSerializer})
    def train(self, request: Request, pk: str) -> Response:
        """Queue a training job on the training queue; 409 if one is queued or running,
        400 naming `dataset` when the model has none and the body gives none. With
        `resume`, the training goes on from the interrupted one's last checkpoint."""
        model = self.get_object()
        data = self.valid_input(request)
        if data.pop("resume"):
            job = model_train_resume(model=model, user=request.user)
        else:
            job = job_services.model_train(model=model, user=request.user, **data)
        answer = {**JobSerializer(job).data, "warning": queue_warning(model)}
        return Response(answer, status=status.HTTP_201_CREATED)
