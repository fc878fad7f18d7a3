"""load_demo's trainings are cached: an identical one takes the first one's results."""

import pytest

from comparison.selectors import series_for_model, series_points
from registry.models import ModelStatus, ModelVersion
from registry.services.models import model_create
from tests.digits import digits_model
from tests.factories import UserFactory
from worker import pretrain_cache
from worker.data import training_data
from worker.inline import pretrain


@pytest.fixture
def cache_in_tmp(settings, tmp_path):
    settings.WORKER_CACHE_DIR = tmp_path / "cache"
    return tmp_path / "cache" / "pretrained"


@pytest.fixture
def first(db) -> ModelVersion:
    return digits_model(UserFactory())


def sibling(model: ModelVersion, name: str, configuration: dict | None = None) -> ModelVersion:
    return model_create(
        project=model.project,
        package=model.package,
        name=name,
        user=model.created_by,
        dataset=model.dataset,
        configuration=configuration or {},
    )


def pretrained(model: ModelVersion, use_cache: bool = True) -> list[str]:
    lines = []
    pretrain(model=model, dataset=model.dataset, say=lines.append, use_cache=use_cache)
    model.refresh_from_db()
    return lines


def weights(model: ModelVersion) -> dict[str, str]:
    return dict(model.artifacts.values_list("name", "sha256"))


def points(model: ModelVersion) -> dict[str, tuple]:
    """Each series' (steps, values); the times are those of each version's own writing."""
    found = {}
    for series in series_for_model(model=model):
        stored = series_points(series)
        found[series.name] = (stored["steps"], stored["values"])
    return found


def took_the_cache(lines: list[str]) -> bool:
    return any("identical earlier training taken" in line for line in lines)


def test_an_identical_training_takes_the_first_ones_weights_metrics_and_device(first, cache_in_tmp):
    first_lines = pretrained(first)
    second = sibling(first, "digits v2")

    second_lines = pretrained(second)

    assert not took_the_cache(first_lines)
    assert took_the_cache(second_lines)
    assert second.status == ModelStatus.PRE_TRAINED
    assert weights(second) == weights(first)
    assert set(weights(second)) == {"weights.npz", "model.json"}
    assert points(second) == points(first)
    assert len(points(second)["accuracy/val"][0]) >= 1
    assert points(second)["accuracy/val"][1][-1] > 0.9
    device_tags = {tag for tag in second.tags.values_list("name", flat=True) if "device" in tag}
    assert device_tags == set(
        tag for tag in first.tags.values_list("name", flat=True) if "device" in tag
    )


def test_another_configuration_trains_and_replaces_that_models_entry(first, cache_in_tmp):
    pretrained(first)
    first_entries = sorted(path.name for path in cache_in_tmp.iterdir())
    first.configuration = {"max_iter": 30}
    first.save(update_fields=["configuration"])
    first.artifacts.all().delete()

    lines = pretrained(first)

    assert not took_the_cache(lines)
    entries = sorted(path.name for path in cache_in_tmp.iterdir())
    assert len(first_entries) == len(entries) == 1
    assert entries != first_entries


def test_retraining_ignores_the_cache(first, cache_in_tmp):
    pretrained(first)
    second = sibling(first, "digits v2")

    lines = pretrained(second, use_cache=False)

    assert not took_the_cache(lines)
    assert any("saved 2 artifact(s)" in line for line in lines)


def key_of(model: ModelVersion, data=None) -> str:
    return pretrain_cache.cache_key(
        adapter=model.package.adapter,
        configuration=model.package.default_configuration,
        data=data or training_data(model),
    )


def test_the_key_is_stable_and_changes_with_an_image_or_an_annotation(first, cache_in_tmp):
    key, again = key_of(first), key_of(first)
    relabelled = training_data(first)
    relabelled.train.annotations[0] = [{"label": "7"}]
    changed_label = key_of(first, relabelled)
    item = first.dataset.items.filter(subset="train").order_by("id").first()
    with item.file.open("ab") as handle:
        handle.write(b"\0")
    changed_image = key_of(first)

    assert key == again
    assert len({key, changed_label, changed_image}) == 3
