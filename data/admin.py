"""Datasets, labels, items and annotations in the admin."""

from django.contrib import admin

from data import models


class LabelInline(admin.TabularInline):
    model = models.Label
    extra = 0


@admin.register(models.Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "annotation_kind", "created_at"]
    list_filter = ["annotation_kind"]
    search_fields = ["name"]
    inlines = [LabelInline]


@admin.register(models.Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["name", "dataset", "color", "position"]
    search_fields = ["name"]


@admin.register(models.Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["name", "dataset", "subset", "width", "height", "created_at"]
    list_filter = ["subset"]
    search_fields = ["name"]
    raw_id_fields = ["dataset"]
    list_select_related = ["dataset"]


@admin.register(models.Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["id", "item", "label", "kind", "model", "confidence"]
    list_filter = ["kind"]
    raw_id_fields = ["item", "label", "model", "created_by"]
    list_select_related = ["item", "label", "model"]
