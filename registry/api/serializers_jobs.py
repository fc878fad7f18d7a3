from rest_framework import serializers

from registry.models import Job


class JobSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()
    model_name = serializers.CharField(source="model.name", read_only=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)

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
        ]
        read_only_fields = fields

    def get_name(self, job: Job) -> str:
        return f"{job.kind} #{job.id}"
