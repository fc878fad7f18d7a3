"""Pages of datasets, their items and labels."""

from django.urls import path

from data.views import datasets, items

app_name = "data"

DATASETS = "projects/<int:project_id>/datasets/"
DATASET = DATASETS + "<int:dataset_id>/"
ITEM = DATASET + "items/<int:item_id>/"

urlpatterns = [
    # --- Datasets ----------------------------------------------------------------
    path(DATASETS, datasets.dataset_list, name="dataset_list"),
    path(DATASETS + "new/", datasets.dataset_create, name="dataset_create"),
    path(DATASET, items.dataset_detail, name="dataset_detail"),
    path(DATASET + "edit/", datasets.dataset_edit, name="dataset_edit"),
    path(DATASET + "delete/", datasets.dataset_delete, name="dataset_delete"),
    path(DATASET + "split/", datasets.dataset_split, name="dataset_split"),
    path(DATASET + "export/coco/", datasets.dataset_export_coco, name="dataset_export_coco"),
    # --- Adding and tagging items ------------------------------------------------
    path(DATASET + "upload/", items.dataset_upload, name="dataset_upload"),
    path(DATASET + "items/subset/", items.items_assign_subset, name="items_assign_subset"),
    # --- One item ----------------------------------------------------------------
    path(ITEM, items.item_detail, name="item_detail"),
    path(ITEM + "image", items.item_image, name="item_image"),
    path(ITEM + "delete/", items.item_delete, name="item_delete"),
]
