import pytest
from django.urls import reverse

from registry.models import ModelTag
from registry.services.models import model_set_status
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    ModelVersionFactory,
    PackageFactory,
)

SHA = "0123456789abcdef" * 4


def detail_url(project, model) -> str:
    return reverse("registry:model_detail", args=[project.id, model.id])


@pytest.fixture
def model(cast):
    dataset = DatasetFactory(project=cast.project, name="digits")
    model = ModelVersionFactory(
        project=cast.project,
        package=PackageFactory(name="digits-mlp"),
        name="exp-1",
        description="First try with a bigger hidden layer.",
        configuration={"optimizer": {"adam": {"beta1": 0.9}}, "epochs": 10, "head": "mlp"},
        labels=["zero", "one"],
        dataset=dataset,
        test_subset="validation",
    )
    ModelTag.objects.create(model=model, name="baseline")
    return model


def test_it_shows_package_configuration_labels_dataset_subsets_tags_and_description(
    client, cast, model
):
    client.force_login(cast.viewer)
    response = client.get(detail_url(cast.project, model))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("registry:package_detail", args=[cast.project.id, model.package.id]) in html
    assert "<code>optimizer.adam.beta1</code></td><td><code>0.9</code>" in html
    assert "<code>epochs</code></td><td><code>10</code>" in html
    assert "<code>head</code></td><td><code>mlp</code>" in html
    assert '<span class="badge">zero</span> <span class="badge">one</span>' in html
    assert reverse("data:dataset_detail", args=[cast.project.id, model.dataset.id]) in html
    assert "test: Validation" in html
    assert "baseline" in html
    assert "First try with a bigger hidden layer." in html


def test_it_shows_the_status_with_its_full_history(client, cast, model):
    model_set_status(model=model, status="queued", user=cast.developer, reason="train pressed")
    model_set_status(model=model, status="training", reason="worker picked it up")
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    assert '<h1>exp-1 <span class="badge status-training">training</span>' in html
    assert "train pressed" in html
    assert "worker picked it up" in html
    assert ">developer<" in html
    assert ">system<" in html
    assert '<span class="badge status-created">created</span></td>' in html


def test_it_lists_artifacts_with_size_short_sha256_and_a_download_link(client, cast, model):
    artifact = ArtifactFactory(model=model, name="weights.pt", size=3 * 1024 * 1024, sha256=SHA)
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    assert "weights.pt" in html
    assert "3.0 MB" in html
    assert f'<code title="{SHA}">{SHA[:12]}…</code>' in html
    download = reverse("registry:artifact_download", args=[cast.project.id, model.id, artifact.id])
    assert download in html


def test_it_shows_the_lineage_from_the_root_to_the_children(client, cast, model):
    root = ModelVersionFactory(project=cast.project, name="root")
    middle = ModelVersionFactory(project=cast.project, name="middle", parent=root)
    model.parent = middle
    model.save()
    child = ModelVersionFactory(project=cast.project, name="child", parent=model)
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    lineage = html[html.index('id="lineage"') :]
    positions = [
        lineage.index(detail_url(cast.project, root)),
        lineage.index(detail_url(cast.project, middle)),
        lineage.index('<li class="current" aria-current="page">exp-1'),
        lineage.index(detail_url(cast.project, child)),
    ]
    assert positions == sorted(positions)
    assert lineage.count("<ul>") == lineage.count("</ul>")


def test_developers_get_edit_clone_delete_and_upload(client, cast, model):
    client.force_login(cast.developer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    for name in ("model_edit", "model_clone", "model_delete", "artifact_upload"):
        assert f'"{reverse(f"registry:{name}", args=[cast.project.id, model.id])}"' in html


@pytest.mark.parametrize("role", ["annotator", "viewer"])
def test_the_buttons_are_hidden_below_developer(client, cast, model, role):
    ArtifactFactory(model=model)
    client.force_login(cast.user(role))
    html = client.get(detail_url(cast.project, model)).content.decode()
    for name in ("model_edit", "model_clone", "model_delete", "artifact_upload"):
        assert f'"{reverse(f"registry:{name}", args=[cast.project.id, model.id])}"' not in html
    assert "/delete/" not in html
    assert "Download</a>" in html


def test_a_public_pretrained_model_is_readable_and_clonable_but_not_editable(client, cast):
    public = ModelVersionFactory(project=None, name="pretrained-digits-mlp")
    client.force_login(cast.developer)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert reverse("registry:model_clone", args=[cast.project.id, public.id]) in html
    assert reverse("registry:model_edit", args=[cast.project.id, public.id]) not in html
    assert reverse("registry:model_delete", args=[cast.project.id, public.id]) not in html
    edit = client.get(reverse("registry:model_edit", args=[cast.project.id, public.id]))
    assert edit.status_code == 404


def test_clones_of_a_public_model_in_other_projects_stay_hidden(client, cast):
    public = ModelVersionFactory(project=None, name="pretrained")
    ModelVersionFactory(project=cast.project, name="our-clone", parent=public)
    ModelVersionFactory(project=cast.other_project, name="their-clone", parent=public)
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, public)).content.decode()
    assert "our-clone" in html
    assert "their-clone" not in html


def test_a_parent_in_another_project_is_not_linked_or_named(client, cast, model):
    model.parent = ModelVersionFactory(project=cast.other_project, name="secret-parent")
    model.save()
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    assert "secret-parent" not in html
    assert "a version in another project" in html


def test_user_supplied_text_is_escaped(client, cast):
    model = ModelVersionFactory(
        project=cast.project,
        name="<script>alert(1)</script>",
        description="<img src=x onerror=alert(2)>",
        configuration={"<b>key</b>": "<i>value</i>"},
        labels=["<u>label</u>"],
    )
    ModelTag.objects.create(model=model, name="<em>tag</em>")
    client.force_login(cast.viewer)
    html = client.get(detail_url(cast.project, model)).content.decode()
    for raw in ("<script>alert(1)", "<img src=x", "<b>key", "<i>value", "<u>label", "<em>tag"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
