"""The API's router."""

from rest_framework.routers import DefaultRouter


class OptionalSlashRouter(DefaultRouter):
    """Every path answers with and without its trailing slash (no redirect, no 404)."""

    def __init__(self) -> None:
        super().__init__()
        self.trailing_slash = "/?"
