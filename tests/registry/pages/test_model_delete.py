import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from data.models import Annotation
from registry.models import ModelVersion, StatusChange
from registry.services.models import model_set_status
from tests.factories import AnnotationFactory, ArtifactFactory, ModelVersionFactory


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


@pytest.fixture
def family(cast):
    """grandparent → model → (child-a, child-b)."""
    grandparent = ModelVersionFactory(project=cast.project, name="grandparent")
    model = ModelVersionFactory(project=cast.project, name="exp-1", parent=grandparent)
    children = [
        ModelVersionFactory(project=cast.project, name=name, parent=model)
        for name in ("child-b", "child-a")
    ]
    return grandparent, model, children


def delete_url(project, model) -> str:
    return reverse("registry:model_delete", args=[project.id, model.id])


def test_the_confirmation_says_exactly_what_goes(dev, cast, family):
    _grandparent, model, _children = family
    ArtifactFactory(model=model, size=1024 * 1024)
    ArtifactFactory(model=model, size=1024 * 1024)
    AnnotationFactory(model=model, confidence=0.9)
    model_set_status(model=model, status="trained")
    StatusChange.objects.create(model=model, to_status="created")
    response = dev.get(delete_url(cast.project, model))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 artifacts totalling 2.0 MB" in html
    assert "1 prediction," in html
    assert "its status history (2 changes)" in html
    assert (
        "Its children <strong>child-a</strong>, <strong>child-b</strong> will be re-parented "
        "to <strong>grandparent</strong>." in html
    )
    assert ModelVersion.objects.filter(pk=model.pk).exists()


def test_children_of_a_root_are_said_to_get_no_parent(dev, cast, family):
    grandparent, _model, _children = family
    html = dev.get(delete_url(cast.project, grandparent)).content.decode()
    assert "will be re-parented to no parent." in html


def test_deleting_a_model_with_children_re_parents_them(dev, cast, family):
    grandparent, model, children = family
    response = dev.post(delete_url(cast.project, model))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:model_list", args=[cast.project.id])
    assert not ModelVersion.objects.filter(pk=model.pk).exists()
    for child in children:
        child.refresh_from_db()
        assert child.parent == grandparent


def test_deleting_a_model_removes_its_artifacts_predictions_and_history(
    dev, cast, family, django_capture_on_commit_callbacks
):
    _grandparent, model, _children = family
    artifact = ArtifactFactory(model=model)
    AnnotationFactory(model=model, confidence=0.5)
    StatusChange.objects.create(model=model, to_status="created")
    with django_capture_on_commit_callbacks(execute=True):
        dev.post(delete_url(cast.project, model))
    assert not default_storage.exists(artifact.file.name)
    assert not Annotation.objects.filter(model_id=model.id).exists()
    assert not StatusChange.objects.filter(model_id=model.id).exists()


@pytest.mark.parametrize("status", ["queued", "training", "deployed"])
def test_a_busy_model_is_refused_with_a_message(dev, cast, family, status):
    _grandparent, model, _children = family
    model_set_status(model=model, status=status)
    page = dev.get(delete_url(cast.project, model)).content.decode()
    assert f"The model is {status}, so it cannot be deleted now." in page
    assert 'type="submit" class="danger"' not in page
    response = dev.post(delete_url(cast.project, model), follow=True)
    assert ModelVersion.objects.filter(pk=model.pk).exists()
    assert f"The model is {status}" in response.content.decode()


def test_a_public_model_cannot_be_deleted_from_a_project(dev, cast):
    public = ModelVersionFactory(project=None)
    assert dev.post(delete_url(cast.project, public)).status_code == 404
    assert ModelVersion.objects.filter(pk=public.pk).exists()


def test_a_single_child_is_named_in_the_singular(dev, cast):
    parent = ModelVersionFactory(project=cast.project, name="parent")
    ModelVersionFactory(project=cast.project, name="only-child", parent=parent)
    html = dev.get(delete_url(cast.project, parent)).content.decode()
    assert "Its child <strong>only-child</strong> will be re-parented to no parent." in html
