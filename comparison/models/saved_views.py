"""A named comparison: the page's query string, saved for everyone in the project."""

from django.conf import settings
from django.db import models

from registry.models import Project

# Two hundred version ids and twenty metric names fit with room to spare.
MAX_QUERY_LENGTH = 8_000


class SavedComparisonView(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="saved_comparison_views"
    )
    name = models.CharField(max_length=100)
    query = models.TextField(
        max_length=MAX_QUERY_LENGTH, help_text="The comparison page's canonical query string."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="saved_comparison_view_unique_name"
            )
        ]
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name
