from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("config.api_urls")),
    # Pages: each app's own, all under the root.
    path("", include("registry.urls")),
    path("", include("data.urls")),
    path("", include("jobs.urls")),
    path("", include("evaluation.urls")),
    path("", include("comparison.urls")),
    path("", include("comparison.urls_compare")),
    path("", include("comparison.urls_compare_evaluations")),
    path("", include("serving.urls")),
    path("", include("pipelines.urls")),
]
