"""The part of MLflow's REST API its clients use to log: `/api/2.0/mlflow/...`.

Thin views: each reads the request in MLflow's field names and calls a selector or
a service; every failure answers in MLflow's error form (tracking.errors).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from rest_framework import exceptions, permissions
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from comparison.api.views import OrjsonParser
from registry.api.authentication import HashedTokenAuthentication
from tracking import selectors, services
from tracking.api.serialize import experiment_json, run_info_json, run_json
from tracking.errors import Denied, DoesNotExist, InvalidValue, TrackingError
from tracking.models import Lifecycle

WRITE = selectors.WRITE_ROLE
MAX_RESULTS = 1000
HISTORY_PAGE = 25_000  # MLflow's page of a metric's history


class Unauthenticated(TrackingError):
    code = "UNAUTHENTICATED"


class MalformedRequest(TrackingError):
    code = "BAD_REQUEST"


def mlflow_exception_handler(error, context):
    if isinstance(error, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        error = Unauthenticated(str(error.detail))
    elif isinstance(error, exceptions.ParseError):
        error = MalformedRequest(str(error.detail))
    elif isinstance(error, Http404):
        error = DoesNotExist(str(error) or "Not found.")
    elif isinstance(error, PermissionDenied | exceptions.PermissionDenied):
        error = Denied(str(error) or "Permission denied.")
    elif isinstance(error, ValidationError):
        error = InvalidValue("; ".join(_messages(error)))
    elif isinstance(error, exceptions.APIException):
        error = MalformedRequest(str(error.detail))
    if not isinstance(error, TrackingError):
        return None  # a real bug: Django's 500, logged
    response = Response(error.as_json(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Basic realm="modelyard"'
    return response


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items()]
    return list(error.messages)


class MlflowView(APIView):
    """Bearer token (MLFLOW_TRACKING_TOKEN), basic auth (MLFLOW_TRACKING_USERNAME and
    _PASSWORD) or the session; MLflow's field names in the query (GET) or body."""

    authentication_classes = [
        HashedTokenAuthentication,
        BasicAuthentication,
        SessionAuthentication,
    ]
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [OrjsonParser]  # a log-batch body is 1,000 metrics
    schema = None  # MLflow's API is documented by MLflow; ours is in the OpenAPI schema

    def get_exception_handler(self):
        return mlflow_exception_handler

    def field(self, request, name: str, required: bool = True, default=None):
        source = request.query_params if request.method == "GET" else request.data
        if not isinstance(source, dict) and not hasattr(source, "get"):
            raise MalformedRequest("The body is a JSON object.")
        value = source.get(name, default)
        if required and value in (None, ""):
            raise InvalidValue(f"Missing value for required parameter {name!r}.")
        return value

    def run(self, request, role=WRITE):
        run_id = self.field(request, "run_id", required=False) or self.field(request, "run_uuid")
        return selectors.run_for(request.user, str(run_id), role)


# --- Experiments -----------------------------------------------------------------------


class ExperimentGetByName(MlflowView):
    def get(self, request):
        name = self.field(request, "experiment_name")
        experiment = selectors.experiment_by_name(request.user, name)
        return Response({"experiment": experiment_json(experiment)})


class ExperimentGet(MlflowView):
    def get(self, request):
        experiment = selectors.experiment_for(request.user, self.field(request, "experiment_id"))
        return Response({"experiment": experiment_json(experiment)})


class ExperimentCreate(MlflowView):
    def post(self, request):
        full_name = self.field(request, "name")
        project, name = selectors.project_of_experiment_name(request.user, str(full_name))
        selectors.check_project_role(request.user, project, WRITE)
        tags = self.field(request, "tags", required=False, default=[])
        experiment = services.experiment_create(
            project=project, name=name, user=request.user, tags=tags
        )
        return Response({"experiment_id": str(experiment.pk)})


class ExperimentSearch(MlflowView):
    def post(self, request):
        view_type = self.field(request, "view_type", required=False, default="ACTIVE_ONLY")
        rows = selectors.experiments_visible(request.user, view_type)
        page, token = _page(rows, request, self)
        return Response(_with_token({"experiments": [experiment_json(e) for e in page]}, token))


# --- Runs ----------------------------------------------------------------------------


class RunCreate(MlflowView):
    def post(self, request):
        experiment = selectors.experiment_for(
            request.user, self.field(request, "experiment_id"), WRITE
        )
        run = services.run_create(
            experiment=experiment,
            user=request.user,
            run_name=self.field(request, "run_name", required=False) or "",
            start_time=self.field(request, "start_time", required=False),
            tags=self.field(request, "tags", required=False, default=[]),
        )
        return Response({"run": run_json(run)})


class RunGet(MlflowView):
    def get(self, request):
        return Response({"run": run_json(self.run(request, role=selectors.READ_ROLE))})


class RunUpdate(MlflowView):
    def post(self, request):
        run = services.run_update(
            run=self.run(request),
            user=request.user,
            status=self.field(request, "status", required=False),
            end_time=self.field(request, "end_time", required=False),
            run_name=self.field(request, "run_name", required=False),
        )
        return Response({"run_info": run_info_json(run)})


class RunDelete(MlflowView):
    def post(self, request):
        services.run_set_lifecycle(run=self.run(request), stage=Lifecycle.DELETED)
        return Response({})


class RunRestore(MlflowView):
    def post(self, request):
        services.run_set_lifecycle(run=self.run(request), stage=Lifecycle.ACTIVE)
        return Response({})


class RunLogMetric(MlflowView):
    def post(self, request):
        metric = {
            name: self.field(request, name, required=False)
            for name in ("key", "value", "timestamp", "step")
        }
        services.run_log_batch(run=self.run(request), user=request.user, metrics=[metric])
        return Response({})


class RunLogParameter(MlflowView):
    def post(self, request):
        param = {"key": self.field(request, "key"), "value": self.field(request, "value", False)}
        services.run_log_batch(run=self.run(request), user=request.user, params=[param])
        return Response({})


class RunSetTag(MlflowView):
    def post(self, request):
        tag = {"key": self.field(request, "key"), "value": self.field(request, "value", False)}
        services.run_log_batch(run=self.run(request), user=request.user, tags=[tag])
        return Response({})


class RunDeleteTag(MlflowView):
    def post(self, request):
        services.run_delete_tag(run=self.run(request), key=str(self.field(request, "key")))
        return Response({})


class RunLogBatch(MlflowView):
    def post(self, request):
        services.run_log_batch(
            run=self.run(request),
            user=request.user,
            metrics=self.field(request, "metrics", required=False, default=[]),
            params=self.field(request, "params", required=False, default=[]),
            tags=self.field(request, "tags", required=False, default=[]),
        )
        return Response({})


class RunSearch(MlflowView):
    def post(self, request):
        order_by = self.field(request, "order_by", required=False, default=[])
        found = selectors.runs_search(
            request.user,
            experiment_ids=list(self.field(request, "experiment_ids", required=False) or []),
            filter_string=self.field(request, "filter", required=False) or "",
            order_by=order_by if isinstance(order_by, list) else [order_by],
            view_type=self.field(request, "run_view_type", required=False) or "ACTIVE_ONLY",
        )
        page, token = _page(found, request, self)
        runs = [run_json(run, metrics) for run, metrics in page]
        return Response(_with_token({"runs": runs}, token))


class MetricHistory(MlflowView):
    def get(self, request):
        run = self.run(request, role=selectors.READ_ROLE)
        points = selectors.metric_history(run, str(self.field(request, "metric_key")))
        page, token = _page(points, request, self, default_size=HISTORY_PAGE)
        return Response(_with_token({"metrics": page}, token))


def version(request):
    """The MLflow server version the client may ask for: the API level served here."""
    return HttpResponse("3.0.0", content_type="text/plain")


# --- Paging -----------------------------------------------------------------------


def _page(rows, request, view: MlflowView, default_size: int = MAX_RESULTS):
    asked = view.field(request, "max_results", required=False)
    size = _count(asked, HISTORY_PAGE, default=default_size)
    start = _count(view.field(request, "page_token", required=False), None, default=0)
    page = list(rows[start : start + size + 1])
    token = str(start + size) if len(page) > size else None
    return page[:size], token


def _count(value, ceiling, default=MAX_RESULTS) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(f"Expected a whole number, got {value!r}.") from None
    if number < 0 or (ceiling is not None and number > ceiling):
        raise InvalidValue(f"{number} is out of range (0 to {ceiling}).")
    return number


def _with_token(answer: dict, token: str | None) -> dict:
    if token:
        answer["next_page_token"] = token
    return answer
