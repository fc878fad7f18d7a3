"""Metrics endpoints under /api/v1/ (mounted by registry/api/urls.py)."""

urlpatterns = []
