"""Metrics endpoints under /api/v1/ (mounted by config/api_urls.py).

Every path answers with and without its trailing slash, like the router's.
"""

from django.urls import re_path

from comparison.api.views import ModelMetricsViewSet, SeriesView

model_metrics = ModelMetricsViewSet.as_view({"get": "list", "post": "create"})


urlpatterns = [
    # --- Metrics -----------------------------------------------------------
    re_path(r"^models/(?P<pk>[^/.]+)/metrics/?$", model_metrics, name="api-model-metrics"),
    re_path(r"^metrics/series/?$", SeriesView.as_view(), name="api-metric-series"),
]
