"""Every confusion-matrix cell the metrics computed lists exactly that many boxes.

An evaluation computed end to end (seeded random boxes; the real matching and
metrics), then each cell's list partial is compared with the matrix.
"""

import random
import re

import pytest

from data.models import Annotation, AnnotationKind
from evaluation.services import evaluation_compute, evaluation_create, predictions_add
from registry.models import OutputType
from tests.evaluation.review.conftest import review_url
from tests.factories import (
    DatasetFactory,
    ItemFactory,
    LabelFactory,
    ModelVersionFactory,
    PackageFactory,
)

pytestmark = pytest.mark.django_db

SIZE = 100


def jitter(box: list[float], rng: random.Random, spread: float) -> list[float]:
    x, y, w, h = (value + rng.uniform(-spread, spread) for value in box)
    x, y = max(0.0, x), max(0.0, y)
    return [x, y, min(max(w, 2.0), SIZE - x), min(max(h, 2.0), SIZE - y)]


def random_box(rng: random.Random) -> list[float]:
    x, y = rng.uniform(0, 70), rng.uniform(0, 70)
    return [x, y, rng.uniform(8, 30), rng.uniform(8, 30)]


@pytest.fixture(params=[7, 11, 23])
def computed(cast, request):
    rng = random.Random(request.param)
    dataset = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.BOX)
    labels = [LabelFactory(dataset=dataset, name=name) for name in ("cat", "dog", "fox")]
    package = PackageFactory(output_type=OutputType.BOX)
    model = ModelVersionFactory(project=cast.project, package=package)
    rows = []
    for index in range(12):
        item = ItemFactory(dataset=dataset, name=f"i{index}.png", width=SIZE, height=SIZE)
        for _ in range(rng.randint(0, 4)):
            box, label = random_box(rng), rng.choice(labels)
            Annotation.objects.create(
                item=item, label=label, kind="box", x=box[0], y=box[1], w=box[2], h=box[3]
            )
            for _ in range(rng.choice([0, 1, 1, 2])):  # missed, found, or found twice
                guess = label if rng.random() < 0.7 else rng.choice(labels)
                rows.append(
                    {
                        "item": item.id,
                        "label": guess.name,
                        "confidence": round(rng.random(), 3),
                        "box": jitter(box, rng, 6),
                    }
                )
        for _ in range(rng.randint(0, 2)):  # on background
            rows.append(
                {
                    "item": item.id,
                    "label": rng.choice(labels).name,
                    "confidence": round(rng.random(), 3),
                    "box": random_box(rng),
                }
            )
    evaluation = evaluation_create(model=model, dataset=dataset, user=cast.owner, subset=None)
    predictions_add(evaluation=evaluation, rows=rows)
    return evaluation_compute(evaluation=evaluation)


def listed_count(client, evaluation, query: str) -> int:
    html = client.get(review_url(evaluation, query=query), HTTP_HX_REQUEST="true").content
    return int(re.search(r'id="review-list-count">(\d+)</span>', html.decode()).group(1))


def test_each_cell_lists_as_many_boxes_as_the_matrix_counts(client, cast, computed):
    client.force_login(cast.viewer)
    html = client.get(review_url(computed)).content.decode()
    keys = re.search(r'"keys": \[([^\]]*)\]', html).group(1).replace('"', "").split(", ")
    confusion = computed.confusion
    thresholds = f"iou={confusion['iou']}&conf={confusion['min_confidence']}&per_page=1"
    assert sum(map(sum, confusion["matrix"])) > 10
    off_diagonal = [
        row[:column] + row[column + 1 :] for column, row in enumerate(confusion["matrix"])
    ]
    assert sum(map(sum, off_diagonal)) > 3

    for row, truth in enumerate(keys):
        for column, predicted in enumerate(keys):
            if truth == predicted == "bg":
                continue
            query = f"?cell={truth}:{predicted}&{thresholds}"
            expected = confusion["matrix"][row][column]
            assert listed_count(client, computed, query) == expected, (row, column)


@pytest.fixture
def classified(cast):
    rng = random.Random(5)
    dataset = DatasetFactory(project=cast.project, annotation_kind=AnnotationKind.CLASS)
    labels = [LabelFactory(dataset=dataset, name=name) for name in ("one", "two", "three")]
    model = ModelVersionFactory(project=cast.project, package=PackageFactory())
    rows = []
    for index in range(30):
        item = ItemFactory(dataset=dataset, name=f"c{index}.png")
        truth = rng.choice(labels)
        Annotation.objects.create(item=item, label=truth, kind="class")
        for label in rng.sample(labels, rng.randint(1, 3)):
            rows.append(
                {"item": item.id, "label": label.name, "confidence": round(rng.random(), 3)}
            )
    evaluation = evaluation_create(model=model, dataset=dataset, user=cast.owner, subset=None)
    predictions_add(evaluation=evaluation, rows=rows)
    return evaluation_compute(evaluation=evaluation)


def test_each_classification_cell_lists_as_many_items_as_the_matrix_counts(
    client, cast, classified
):
    client.force_login(cast.viewer)
    html = client.get(review_url(classified)).content.decode()
    keys = re.search(r'"keys": \[([^\]]*)\]', html).group(1).replace('"', "").split(", ")
    matrix = classified.confusion["matrix"]
    assert sum(map(sum, matrix)) == 30

    for row, truth in enumerate(keys):
        for column, predicted in enumerate(keys):
            query = f"?cell={truth}:{predicted}&conf=0&per_page=1"
            assert listed_count(client, classified, query) == matrix[row][column], (row, column)
