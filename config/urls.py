from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/", include("registry.api.urls")),
    path("", include("registry.urls")),
    path("", include("comparison.urls")),
    path("", include("comparison.urls_compare")),
    path("", include("comparison.urls_compare_evaluations")),
]
