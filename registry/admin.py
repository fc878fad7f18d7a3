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


@admin.register(models.WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["hostname", "seen_at"]
    readonly_fields = ["hostname", "seen_at"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only their services write: jobs, deployments and runs move through states."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "project", "model", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["project", "model"]


@admin.register(models.Deployment)
class DeploymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "model", "project", "state", "created_at"]
    list_filter = ["state"]
    list_select_related = ["project", "model"]


@admin.register(models.Pipeline)
class PipelineAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "champion", "trigger", "paused", "created_at"]
    list_filter = ["trigger", "paused"]
    search_fields = ["name"]
    raw_id_fields = ["project", "dataset", "champion", "created_by"]
    list_select_related = ["project", "champion"]

    def save_model(self, request, obj, form, change) -> None:
        from registry.services.pipeline_schedules import schedule_sync

        super().save_model(request, obj, form, change)
        schedule_sync(obj)  # beat's cron entry follows an edit made here too


class PipelineStepInline(admin.TabularInline):
    model = models.PipelineStep
    extra = 0
    fields = ["name", "status", "job", "message", "started_at", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.PipelineRun)
class PipelineRunAdmin(ReadOnlyAdmin):
    list_display = ["id", "pipeline", "status", "trigger", "created_at", "finished_at"]
    list_filter = ["status", "trigger"]
    list_select_related = ["pipeline"]
    inlines = [PipelineStepInline]
