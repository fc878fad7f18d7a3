"""Evaluation endpoints under /api/v1/ (mounted by config/api_urls.py).

Every path answers with and without its trailing slash, like the router's.
"""

from django.urls import re_path

from evaluation.api.diff import EvaluationDiffViewSet
from evaluation.api.evaluations import EvaluationViewSet
from evaluation.api.marks import EvaluationMarksViewSet

EVALUATION = r"^evaluations/(?P<pk>[0-9]+)"


def _route(path: str, viewset, actions: dict, name: str):
    return re_path(f"{path}/?$", viewset.as_view(actions), name=f"api-evaluation-{name}")


def _action(action: str, method: str = "post"):
    """POST (or GET) /evaluations/{id}/<action>, served by the action of that name."""
    return _route(f"{EVALUATION}/{action}", EvaluationViewSet, {method: action}, action)


urlpatterns = [
    _route(r"^evaluations", EvaluationViewSet, {"get": "list", "post": "create"}, "list"),
    _route(EVALUATION, EvaluationViewSet, {"get": "retrieve", "delete": "destroy"}, "detail"),
    # --- Offline: upload predictions, then finish ------------------------------
    _action("predictions"),
    _action("finish"),
    # --- The stored errors at any threshold -------------------------------------
    _action("counts", method="get"),
    _action("errors", method="get"),
    _route(f"{EVALUATION}/diff", EvaluationDiffViewSet, {"get": "diff"}, "diff"),
    _route(
        f"{EVALUATION}/marks",
        EvaluationMarksViewSet,
        {"get": "marks", "put": "mark", "delete": "unmark"},
        "marks",
    ),
]
