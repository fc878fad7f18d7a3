from rest_framework import serializers

from jobs.models import Job

OUTCOME_KEYS = ("stored", "failed", "failures", "warm")


class JobSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    model_name = serializers.CharField(source="model.name", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    outcome = serializers.SerializerMethodField(
        help_text="What a finished predict job did: stored, failed, failures "
        "[{item, name, error}], warm. Empty for other jobs."
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "name",
            "kind",
            "status",
            "progress",
            "message",
            "error",
            "log",
            "project",
            "model",
            "model_name",
            "package",
            "queue",
            "worker",
            "celery_task_id",
            "cancel_requested",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
            "heartbeat_at",
            "outcome",
        ]
        read_only_fields = fields

    def get_outcome(self, job: Job) -> dict:
        parameters = job.parameters or {}
        return {key: parameters[key] for key in OUTCOME_KEYS if key in parameters}

    def get_name(self, job: Job) -> str:
        return f"{job.kind} #{job.id}"
