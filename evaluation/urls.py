"""Pages of evaluations: the Evaluate button, the project's list, the review, the diff."""

from django.urls import path

from evaluation.views import diff, evaluation_list, model_evaluate, review, review_marks

app_name = "evaluation"

MODEL = "projects/<int:project_id>/models/<int:model_id>"
EVALUATION = "projects/<int:project_id>/evaluations/<int:evaluation_id>"

urlpatterns = [
    # --- The Evaluate button of the model page ---------------------------------
    path(f"{MODEL}/evaluate/", model_evaluate.model_evaluate_view, name="model_evaluate"),
    # --- The project's evaluations ---------------------------------------------
    path(
        "projects/<int:project_id>/evaluations/",
        evaluation_list.evaluation_list,
        name="evaluation_list",
    ),
    # --- The review page (and, to htmx, its results partial) ---------------------
    path(f"{EVALUATION}/", review.evaluation_review, name="evaluation_review"),
    path(
        f"{EVALUATION}/marks/", review_marks.evaluation_review_mark, name="evaluation_review_mark"
    ),
    # --- The regression diff: what changed since another evaluation -------------
    path(f"{EVALUATION}/diff/", diff.evaluation_diff, name="evaluation_diff"),
]
