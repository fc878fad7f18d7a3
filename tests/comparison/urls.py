"""The project's URLs plus comparison's pages, until config/urls.py includes them."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

_included = any(getattr(p, "namespace", None) == "comparison" for p in project_urlpatterns)
urlpatterns = [
    *([] if _included else [path("", include("comparison.urls"))]),
    *project_urlpatterns,
]
