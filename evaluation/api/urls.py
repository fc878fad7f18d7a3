"""Evaluation endpoints under /api/v1/ (mounted by config/api_urls.py).

Every path answers with and without its trailing slash, like the router's.
"""

from django.urls import re_path

from evaluation.api.diff import EvaluationDiffViewSet
from evaluation.api.evaluations import EvaluationViewSet
from evaluation.api.marks import EvaluationMarksViewSet


def _evaluation(actions: dict):
    return EvaluationViewSet.as_view(actions)


urlpatterns = [
    re_path(
        r"^evaluations/?$",
        _evaluation({"get": "list", "post": "create"}),
        name="api-evaluation-list",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/?$",
        _evaluation({"get": "retrieve", "delete": "destroy"}),
        name="api-evaluation-detail",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/predictions/?$",
        _evaluation({"post": "predictions"}),
        name="api-evaluation-predictions",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/finish/?$",
        _evaluation({"post": "finish"}),
        name="api-evaluation-finish",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/counts/?$",
        _evaluation({"get": "counts"}),
        name="api-evaluation-counts",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/errors/?$",
        _evaluation({"get": "errors"}),
        name="api-evaluation-errors",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/diff/?$",
        EvaluationDiffViewSet.as_view({"get": "diff"}),
        name="api-evaluation-diff",
    ),
    re_path(
        r"^evaluations/(?P<pk>[0-9]+)/marks/?$",
        EvaluationMarksViewSet.as_view({"get": "marks", "put": "mark", "delete": "unmark"}),
        name="api-evaluation-marks",
    ),
]
