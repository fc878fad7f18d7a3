"""Pages of jobs (the Train button, the jobs list, one job and its progress) and /health/."""

from django.urls import path

from jobs import views

app_name = "jobs"

PROJECT = "projects/<int:project_id>"
JOB = f"{PROJECT}/jobs/<int:job_id>"

urlpatterns = [
    path("health/", views.health, name="health"),
    # --- The Train button of the model page ---------------------------------------
    path(f"{PROJECT}/models/<int:model_id>/train/", views.model_train_view, name="model_train"),
    # --- The project's jobs --------------------------------------------------------
    path(f"{PROJECT}/jobs/", views.job_list, name="job_list"),
    path(f"{JOB}/", views.job_detail, name="job_detail"),
    path(f"{JOB}/progress/", views.job_progress, name="job_progress"),
    path(f"{JOB}/cancel/", views.job_cancel_view, name="job_cancel"),
]
