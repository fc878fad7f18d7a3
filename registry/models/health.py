from django.db import models


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker answered, written by the worker itself."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.hostname} at {self.seen_at:%Y-%m-%d %H:%M:%S}"
