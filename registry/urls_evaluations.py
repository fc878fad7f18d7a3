from django.urls import path

from registry.views import evaluations

MODEL = "projects/<int:project_id>/models/<int:model_id>"

urlpatterns = [
    # The Evaluate button of the model page
    path(f"{MODEL}/evaluate/", evaluations.model_evaluate_view, name="model_evaluate"),
]
