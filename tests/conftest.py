"""The cast every permission test uses: one member per role, and an outsider."""

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from registry.models import Role
from tests.factories import (
    MembershipFactory,
    ModelVersionFactory,
    PackageFactory,
    ProjectFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Every test stores files in its own folder."""
    media = tmp_path / "media"
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media)},
        },
    }
    return media


@dataclass
class Cast:
    project: object
    owner: object
    developer: object
    annotator: object
    viewer: object
    outsider: object
    other_project: object

    def user(self, role: str):
        return getattr(self, role)


@pytest.fixture
def cast(db) -> Cast:
    project = ProjectFactory(name="Acme")
    other_project = ProjectFactory(name="Other")
    users = {}
    for role in (Role.OWNER, Role.DEVELOPER, Role.ANNOTATOR, Role.VIEWER):
        users[role] = UserFactory(username=role)
        MembershipFactory(project=project, user=users[role], role=role)
    outsider = UserFactory(username="outsider")
    MembershipFactory(project=other_project, user=outsider, role=Role.OWNER)
    return Cast(project=project, other_project=other_project, outsider=outsider, **users)


@pytest.fixture
def public_package(db):
    return PackageFactory(project=None, name="digits-mlp")


@pytest.fixture
def model(cast, public_package):
    """A model version in Acme."""
    return ModelVersionFactory(project=cast.project, package=public_package, name="first")


@pytest.fixture
def public_model(public_package):
    return ModelVersionFactory(project=None, package=public_package, name="pretrained")


@pytest.fixture
def other_model(cast, public_package):
    """A model version of the outsider's project."""
    return ModelVersionFactory(project=cast.other_project, package=public_package, name="theirs")


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def api_as(api_client):
    """api_as(user) → an APIClient signed in as that user (session auth, CSRF not enforced)."""

    def sign_in(user):
        api_client.force_authenticate(user=user)
        return api_client

    return sign_in


def pytest_sessionfinish(session, exitstatus):
    """Remove this run's private broker folder and test files under var/."""
    import shutil

    from django.conf import settings

    broker = getattr(settings, "BROKER_DIR", None)
    if broker is not None and broker.name.startswith("test-broker-"):
        shutil.rmtree(broker, ignore_errors=True)


pytest_plugins = ["tests.s3", "tests.workers", "tests.browsers"]
