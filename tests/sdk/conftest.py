"""A signed-in SDK client against pytest-django's live server, and a stub server."""

from collections.abc import Iterator
from dataclasses import dataclass

import modelyard
import pytest

from registry.models import Role
from registry.services.tokens import token_create
from tests.factories import MembershipFactory, ProjectFactory, UserFactory
from tests.sdk.stub import StubServer
from tests.worker.conftest import celery_worker_process  # noqa: F401


@dataclass
class Member:
    user: object
    project: object
    token: str


def member_of(project, username: str, role: str = Role.OWNER) -> Member:
    user = UserFactory(username=username)
    MembershipFactory(project=project, user=user, role=role)
    return Member(user=user, project=project, token=token_create(user=user, name="sdk tests")[1])


@pytest.fixture
def owner(transactional_db) -> Member:
    return member_of(ProjectFactory(name="Acme"), "alice")


@pytest.fixture
def yard(live_server, owner) -> modelyard.Client:
    """A client signed in as the owner of project Acme; no retries, so failures are quick."""
    return modelyard.Client(live_server.url, owner.token, retries=0)


@pytest.fixture(autouse=True)
def no_default_client(monkeypatch) -> Iterator[None]:
    """No test sees another's login or the machine's MODELYARD_* variables."""
    monkeypatch.delenv("MODELYARD_URL", raising=False)
    monkeypatch.delenv("MODELYARD_TOKEN", raising=False)
    modelyard.logout()
    yield
    modelyard.logout()


@pytest.fixture
def stub() -> Iterator[StubServer]:
    server = StubServer()
    yield server
    server.stop()
