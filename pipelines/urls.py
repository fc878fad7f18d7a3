"""Pages of pipelines and their runs."""

from django.urls import path

from pipelines import views as pipelines

app_name = "pipelines"

PIPELINES = "projects/<int:project_id>/pipelines"
PIPELINE = f"{PIPELINES}/<int:pipeline_id>"
RUN = f"{PIPELINE}/runs/<int:run_id>"

urlpatterns = [
    # --- The list, create and edit ------------------------------------------
    path(f"{PIPELINES}/", pipelines.pipeline_list, name="pipeline_list"),
    path(f"{PIPELINES}/new/", pipelines.pipeline_create, name="pipeline_create"),
    path(f"{PIPELINE}/edit/", pipelines.pipeline_edit, name="pipeline_edit"),
    path(f"{PIPELINE}/delete/", pipelines.pipeline_delete, name="pipeline_delete"),
    # --- One pipeline, and its runs for htmx to poll ------------------------
    path(f"{PIPELINE}/", pipelines.pipeline_detail, name="pipeline_detail"),
    path(f"{PIPELINE}/runs/", pipelines.pipeline_runs_partial, name="pipeline_runs"),
    # --- Buttons ------------------------------------------------------------
    path(f"{PIPELINE}/run/", pipelines.pipeline_run_now, name="pipeline_run_now"),
    path(f"{PIPELINE}/pause/", pipelines.pipeline_pause, name="pipeline_pause"),
    path(f"{PIPELINE}/resume/", pipelines.pipeline_resume, name="pipeline_resume"),
    path(f"{RUN}/cancel/", pipelines.run_cancel, name="run_cancel"),
    path(f"{RUN}/approve/", pipelines.run_approve, name="run_approve"),
]
