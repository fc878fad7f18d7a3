import pytest
from django.urls import reverse

from registry.models import Package
from tests.factories import ModelVersionFactory, PackageFactory


@pytest.fixture
def package(cast):
    return PackageFactory(project=cast.project, name="ours")


@pytest.fixture
def dev(client, cast):
    client.force_login(cast.developer)
    return client


def delete_url(project, package) -> str:
    return reverse("registry:package_delete", args=[project.id, package.id])


def test_an_unused_package_is_deleted_after_confirmation(dev, cast, package):
    page = dev.get(delete_url(cast.project, package))
    assert page.status_code == 200
    assert "No model version uses it." in page.content.decode()
    response = dev.post(delete_url(cast.project, package))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:package_list", args=[cast.project.id])
    assert not Package.objects.filter(pk=package.pk).exists()


def test_a_package_in_use_is_refused_with_the_reason(dev, cast, package):
    ModelVersionFactory.create_batch(2, project=cast.project, package=package)
    page = dev.get(delete_url(cast.project, package)).content.decode()
    assert "2 model versions use this package, so it cannot be deleted." in page
    response = dev.post(delete_url(cast.project, package), follow=True)
    assert "2 model version(s) use this package; delete them first." in response.content.decode()
    assert Package.objects.filter(pk=package.pk).exists()


def test_a_public_package_cannot_be_deleted(dev, cast):
    public = PackageFactory()
    assert dev.post(delete_url(cast.project, public)).status_code == 403
    assert Package.objects.filter(pk=public.pk).exists()
