import modelyard
import pytest
from modelyard import errors

from registry.models import Role
from tests.factories import ModelVersionFactory, ProjectFactory
from tests.sdk.conftest import member_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_missing_model_raises_not_found_with_the_server_message(yard):
    with pytest.raises(errors.NotFound) as raised:
        yard.models.get(model_id=999_999)

    assert raised.value.status == 404
    assert raised.value.code == "not_found"
    assert raised.value.message
    assert "404" in str(raised.value)


def test_a_model_of_a_project_you_are_not_in_is_not_found(yard):
    theirs = ModelVersionFactory(project=ProjectFactory(name="Theirs"))

    with pytest.raises(errors.NotFound):
        yard.models.get(model_id=theirs.id)


def test_a_viewer_creating_a_dataset_is_forbidden(live_server, owner):
    viewer = member_of(owner.project, "victor", Role.VIEWER)
    client = modelyard.Client(live_server.url, viewer.token, retries=0)
    project = client.projects.get(project_name="Acme")

    with pytest.raises(errors.Forbidden) as raised:
        project.datasets.create(dataset_name="parts", labels=["bolt"])

    assert raised.value.status == 403
    assert raised.value.message


def test_a_bad_token_raises_unauthorized(live_server, owner):
    client = modelyard.Client(live_server.url, "my_not-a-token", retries=0)

    with pytest.raises(errors.Unauthorized) as raised:
        client.projects.list()

    assert "token" in raised.value.message.lower()


def test_a_bad_request_carries_the_server_fields(yard, owner):
    project = yard.projects.get(project_id=owner.project.id)

    with pytest.raises(errors.BadRequest) as raised:
        project.datasets.create(dataset_name="parts", labels=[{"name": "bolt", "color": "red"}])

    assert "labels" in raised.value.fields
    assert raised.value.code == "invalid"


def test_every_error_is_a_modelyard_error(yard):
    with pytest.raises(errors.ModelyardError):
        yard.projects.get(project_name="No such project")
