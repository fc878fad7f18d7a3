from django.urls import path

from registry.views import jobs

urlpatterns = [
    path(
        "projects/<int:project_id>/models/<int:model_id>/train/",
        jobs.model_train_view,
        name="model_train",
    ),
    path("projects/<int:project_id>/jobs/", jobs.job_list, name="job_list"),
    path("projects/<int:project_id>/jobs/<int:job_id>/", jobs.job_detail, name="job_detail"),
    path(
        "projects/<int:project_id>/jobs/<int:job_id>/progress/",
        jobs.job_progress,
        name="job_progress",
    ),
    path(
        "projects/<int:project_id>/jobs/<int:job_id>/cancel/",
        jobs.job_cancel_view,
        name="job_cancel",
    ),
]
