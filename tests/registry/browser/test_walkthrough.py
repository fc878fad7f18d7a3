"""A new user's first minutes, in a real Chromium: project, dataset, upload, clone, lineage."""

import pytest

from data.models import Item
from registry.models import ModelVersion, Project
from tests.browsers import sign_in
from tests.factories import ModelVersionFactory, PackageFactory, UserFactory
from tests.images import png_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pretrained(db):
    package = PackageFactory(name="digits-mlp", project=None)
    return ModelVersionFactory(
        project=None, package=package, name="pretrained-digits-mlp", labels=["bolt", "nut"]
    )


def test_a_new_user_builds_a_project_and_clones_a_model_into_its_lineage(
    page, pretrained, tmp_path
):
    UserFactory(username="alice")
    sign_in(page, "alice")

    page.get_by_label("Name").fill("Parts inspection")
    page.get_by_role("button", name="Create project").click()
    page.wait_for_url("**/projects/*/")
    project = Project.objects.get(name="Parts inspection")

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Datasets").click()
    page.get_by_role("link", name="Create the first dataset").click()
    page.get_by_label("Name", exact=True).fill("parts")
    page.get_by_label("Label name").last.fill("bolt")
    page.get_by_role("button", name="Add a label").click()
    page.get_by_label("Label name").last.fill("nut")
    page.get_by_role("button", name="Create dataset").click()

    files = []
    for index, colour in enumerate([(200, 0, 0), (0, 200, 0), (0, 0, 200)]):
        path = tmp_path / f"part_{index}.png"
        path.write_bytes(png_bytes(32, 24, colour))
        files.append(str(path))
    page.get_by_label("Images").set_input_files(files)
    page.get_by_role("button", name="Upload").click()
    page.get_by_text("Added 3 items").wait_for()
    assert page.locator(".thumb img").count() == 3
    assert Item.objects.filter(dataset__project=project).count() == 3

    page.get_by_role("navigation", name="Project").get_by_role("link", name="Packages").click()
    page.get_by_role("link", name="digits-mlp").first.click()
    page.get_by_role("link", name="Clone into Parts inspection").click()
    page.get_by_label("Name").fill("parts-mlp v1")
    page.get_by_role("button", name="Clone").click()

    lineage = page.locator("#lineage")
    lineage.wait_for()
    assert "pretrained-digits-mlp" in lineage.inner_text()
    assert "parts-mlp v1" in lineage.locator("[aria-current=page]").inner_text()
    clone = ModelVersion.objects.get(project=project, name="parts-mlp v1")
    assert clone.parent == pretrained
