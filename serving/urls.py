"""Pages that deploy a model version and run it on items."""

from django.urls import path

from serving.views import deployments, predictions

app_name = "serving"

PROJECT = "projects/<int:project_id>"
MODEL = f"{PROJECT}/models/<int:model_id>"
DATASET = f"{PROJECT}/datasets/<int:dataset_id>/"
ITEM = DATASET + "items/<int:item_id>/"

urlpatterns = [
    # --- Deploying a model version (the model page's card) -------------------------
    path(f"{MODEL}/deploy/", deployments.model_deploy_view, name="model_deploy"),
    path(f"{MODEL}/undeploy/", deployments.model_undeploy_view, name="model_undeploy"),
    path(f"{MODEL}/deployment/", deployments.model_deployment_card, name="model_deployment"),
    path(
        f"{PROJECT}/settings/predictions/",
        deployments.project_predict_setting,
        name="project_predict_setting",
    ),
    # --- Predictions on items (the item grid and the item page) --------------------
    path(DATASET + "items/predict/", predictions.items_predict, name="items_predict"),
    path(DATASET + "predictions/", predictions.predictions_layer, name="predictions_layer"),
    path(
        DATASET + "predictions/accept/",
        predictions.predictions_accept_view,
        name="predictions_accept",
    ),
    path(ITEM + "predict/", predictions.item_predict, name="item_predict"),
]
