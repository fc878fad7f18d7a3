from django.urls import path

from registry.views import datasets, items, predictions

DATASETS = "projects/<int:project_id>/datasets/"
DATASET = DATASETS + "<int:dataset_id>/"
ITEM = DATASET + "items/<int:item_id>/"

urlpatterns = [
    # Datasets
    path(DATASETS, datasets.dataset_list, name="dataset_list"),
    path(DATASETS + "new/", datasets.dataset_create, name="dataset_create"),
    path(DATASET, items.dataset_detail, name="dataset_detail"),
    path(DATASET + "edit/", datasets.dataset_edit, name="dataset_edit"),
    path(DATASET + "delete/", datasets.dataset_delete, name="dataset_delete"),
    path(DATASET + "split/", datasets.dataset_split, name="dataset_split"),
    path(DATASET + "export/coco/", datasets.dataset_export_coco, name="dataset_export_coco"),
    # Adding and tagging items
    path(DATASET + "upload/", items.dataset_upload, name="dataset_upload"),
    path(DATASET + "items/subset/", items.items_assign_subset, name="items_assign_subset"),
    # Predictions on items
    path(DATASET + "items/predict/", predictions.items_predict, name="items_predict"),
    path(DATASET + "predictions/", predictions.predictions_layer, name="predictions_layer"),
    path(
        DATASET + "predictions/accept/",
        predictions.predictions_accept_view,
        name="predictions_accept",
    ),
    path(ITEM + "predict/", predictions.item_predict, name="item_predict"),
    # One item
    path(ITEM, items.item_detail, name="item_detail"),
    path(ITEM + "image", items.item_image, name="item_image"),
    path(ITEM + "delete/", items.item_delete, name="item_delete"),
]
