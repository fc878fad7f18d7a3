from django.urls import include, path

app_name = "registry"

# Pages, grouped by what they are about; each group lives in its own module.
urlpatterns = [
    path("", include("registry.urls_projects")),
    path("", include("registry.urls_data")),
    path("", include("registry.urls_models")),
    path("", include("registry.urls_jobs")),
    path("", include("registry.urls_pipelines")),
    path("", include("registry.urls_evaluations")),
]
