from django.contrib import admin

from registry import models


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0
    raw_id_fields = ["user"]


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "created_by", "created_at"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(models.Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "role"]
    list_filter = ["role"]
    raw_id_fields = ["user", "project"]


@admin.register(models.Package)
class PackageAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "output_type", "adapter"]
    list_filter = ["output_type"]
    search_fields = ["name"]


class TagInline(admin.TabularInline):
    model = models.ModelTag
    extra = 0


class ArtifactInline(admin.TabularInline):
    model = models.Artifact
    extra = 0
    readonly_fields = ["size", "sha256"]


@admin.register(models.ModelVersion)
class ModelVersionAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "package", "status", "created_at"]
    list_filter = ["status", "package"]
    search_fields = ["name"]
    raw_id_fields = ["parent", "dataset", "created_by"]
    list_select_related = ["project", "package"]
    inlines = [TagInline, ArtifactInline]


@admin.register(models.ModelTag)
class ModelTagAdmin(admin.ModelAdmin):
    list_display = ["name", "model"]
    search_fields = ["name"]
    raw_id_fields = ["model"]


@admin.register(models.StatusChange)
class StatusChangeAdmin(admin.ModelAdmin):
    list_display = ["model", "from_status", "to_status", "changed_by", "changed_at"]
    raw_id_fields = ["model", "changed_by"]


@admin.register(models.Artifact)
class ArtifactAdmin(admin.ModelAdmin):
    list_display = ["name", "model", "size", "sha256", "created_at"]
    raw_id_fields = ["model", "created_by"]


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["token_hash", "prefix"]
    raw_id_fields = ["user"]
