"""POST /models/{id}/evaluate: an online evaluation, the package's adapter predicting a subset."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.fields import VisibleRelatedField
from data.api.scopes import datasets_of
from data.models import Dataset
from evaluation.api.serializers import EvaluatedSubsetField
from evaluation.services import model_evaluate
from jobs.api.serializers import JobSerializer
from registry.api.base import ModelActionViewSet
from registry.models import Role


class EvaluateSerializer(serializers.Serializer):
    """The body of POST /models/{id}/evaluate."""

    dataset = VisibleRelatedField(
        datasets_of, queryset=Dataset.objects.all(), required=False, allow_null=True, default=None
    )
    subset = EvaluatedSubsetField()


class EvaluateAnswerSerializer(serializers.Serializer):
    job = JobSerializer()
    evaluation = serializers.IntegerField()


class ModelEvaluateViewSet(ModelActionViewSet):
    """POST /models/{id}/evaluate.

    Evaluating writes nothing of the model, so anyone who can read it (a public pretrained
    model too) may ask; the role that counts is developer in the evaluation's project: the
    model's, or for a public model the dataset's.
    """

    serializer_class = EvaluateAnswerSerializer
    input_serializers = {"evaluate": EvaluateSerializer}
    action_roles = {"evaluate": Role.VIEWER}

    @extend_schema(request=EvaluateSerializer, responses={201: EvaluateAnswerSerializer})
    def evaluate(self, request: Request, pk: str) -> Response:
        """Queue an online evaluation on the inference queue: the adapter predicts the subset."""
        model = self.get_object()
        if not model.is_public:
            self.require_role(model.project_id, Role.DEVELOPER)
        data = self.valid_input(request)
        if model.is_public and data["dataset"] is not None:
            self.require_role(data["dataset"].project_id, Role.DEVELOPER)
        job = model_evaluate(model=model, user=request.user, **data)
        answer = {"job": JobSerializer(job).data, "evaluation": job.parameters["evaluation"]}
        return Response(answer, status=status.HTTP_201_CREATED)
