"""`manage.py import_weights`: an operator's state_dict becomes a public version's weights."""

import json
from io import StringIO

import pytest
import torch
import torchvision
from django.core.management import CommandError, call_command
from safetensors.torch import save_file

from registry.models import ModelStatus
from tests.factories import ModelVersionFactory, PackageFactory
from tests.worker.builtin_adapters.colours import colour_images
from worker.adapters.resnet import ResNetAdapter
from worker.adapters.torch_common import file_sha256
from worker.training import fetch_artifacts

pytestmark = pytest.mark.django_db


@pytest.fixture
def public_resnet(media_in_tmp):
    package = PackageFactory(
        project=None, name="resnet", adapter="worker.adapters.resnet:ResNetAdapter"
    )
    model = ModelVersionFactory(
        project=None,
        package=package,
        name="pretrained-resnet50",
        configuration={"architecture": "resnet18", "image_size": 32},
        labels=["cat", "dog", "fox"],
    )
    model.tags.create(name="not-imagenet")
    return model


def run(*args) -> str:
    out = StringIO()
    call_command("import_weights", *map(str, args), stdout=out)
    return out.getvalue()


def test_a_generated_state_dict_becomes_the_versions_weights_with_its_sha256(
    public_resnet, tmp_path
):
    net = torchvision.models.resnet18(weights=None, num_classes=3)
    save_file(net.state_dict(), str(tmp_path / "resnet18.safetensors"))
    sha256 = file_sha256(tmp_path / "resnet18.safetensors")

    output = run("resnet", "pretrained-resnet50", tmp_path / "resnet18.safetensors")

    assert f"sha256 {sha256}" in output
    public_resnet.refresh_from_db()
    assert sorted(public_resnet.artifacts.values_list("name", flat=True)) == [
        "model.json",
        "model.safetensors",
    ]
    assert sha256 in public_resnet.description
    assert public_resnet.status == ModelStatus.PRE_TRAINED
    assert set(public_resnet.tags.values_list("name", flat=True)) == {"weights:imported"}
    folder = tmp_path / "artifacts"
    folder.mkdir()
    fetch_artifacts(public_resnet, folder)
    meta = json.loads((folder / "model.json").read_text())
    assert meta["weights"]["sha256"] == sha256
    assert meta["labels"] == ["cat", "dog", "fox"]
    adapter = ResNetAdapter(public_resnet.configuration)
    adapter.load(str(folder))
    image = colour_images(1).images[0]
    with torch.no_grad():
        expected = torch.softmax(net.eval()(adapter_input(adapter, image)), dim=1)[0]
    found = adapter.predict([image])[0][0]["scores"]
    assert list(found.values()) == pytest.approx(expected.tolist(), abs=1e-5)


def test_an_imagenet_sized_head_brings_its_own_classes(public_resnet, tmp_path):
    torch.save(torchvision.models.resnet18(weights=None).state_dict(), tmp_path / "in1k.pth")

    run("resnet", "pretrained-resnet50", tmp_path / "in1k.pth")

    public_resnet.refresh_from_db()
    assert len(public_resnet.labels) == 1000
    assert public_resnet.labels[:2] == ["0", "1"]


def test_weights_of_another_architecture_change_nothing(public_resnet, tmp_path):
    torch.save(torchvision.models.resnet34(weights=None).state_dict(), tmp_path / "r34.pth")

    with pytest.raises(CommandError, match="do not fit the architecture"):
        run("resnet", "pretrained-resnet50", tmp_path / "r34.pth")

    assert not public_resnet.artifacts.exists()
    assert public_resnet.tags.filter(name="not-imagenet").exists()


def test_an_unknown_version_or_a_missing_file_is_named(public_resnet, tmp_path):
    with pytest.raises(CommandError, match="no public version 'nope' of a public package"):
        run("resnet", "nope", tmp_path / "x.pth")
    with pytest.raises(CommandError, match="no file at"):
        run("resnet", "pretrained-resnet50", tmp_path / "x.pth")


def adapter_input(adapter, image):
    return adapter._transform(augment=False)(
        torch.from_numpy(image.copy()).permute(2, 0, 1).float() / 255
    )[None]
