"""An evaluation at the planned scale on PostgreSQL: store, finish, and slider moves.

    DATABASE_URL=postgres://... .venv/bin/python bench/evaluation_scale.py [--items 100000]

Builds (seeded) a box dataset of `--items` items with ~4 ground-truth boxes each and
an offline evaluation with 10 predictions per item (1,000,000 for 100,000 items),
then prints:
1. storing the predictions: `predictions_add` in requests of 10,000 rows;
2. finish: `evaluation_compute` (ground-truth snapshot, matching at ten IoU
   thresholds, storing the matches, metrics);
3. the review page and slider moves, as requests through Django's test client (all
   server time: view, queries, template): the full page once per tab, then the htmx
   results partial at 40 random (IoU, confidence) pairs on the 0.01 grid of the
   slider, on the FP and FN tabs: median and p95 in ms.
The database named in DATABASE_URL is migrated and filled; use a throw-away one.
`--evaluation ID` skips the build and times the requests on an evaluation built before.
"""

import argparse
import sys
import time

import numpy as np
from benchsetup import setup_django

LABELS = 20
SIDE = 640
CHUNK = 10_000


def build_dataset(items: int, rng):
    from data.models import Annotation, Dataset, Item, Label
    from registry.models import Project

    project = Project.objects.create(name=f"bench-{time.time_ns()}")
    dataset = Dataset.objects.create(project=project, name="boxes", annotation_kind="box")
    labels = Label.objects.bulk_create(
        Label(dataset=dataset, name=f"label-{k}", position=k) for k in range(LABELS)
    )
    rows = Item.objects.bulk_create(
        (
            Item(
                dataset=dataset,
                name=f"img_{i:07d}.png",
                file=f"bench/{i}.png",
                content_type="image/png",
                width=SIDE,
                height=SIDE,
                subset="test",
            )
            for i in range(items)
        ),
        batch_size=5_000,
    )
    truth = _truth(rng, [item.id for item in rows], [label.id for label in labels])
    # Committed batch by batch: the label-count triggers update the same few rows for
    # every annotation, and one long transaction would pile up their versions.
    for lo in range(0, len(truth), 5_000):
        Annotation.objects.bulk_create(
            Annotation(item_id=i, label_id=k, kind="box", x=b[0], y=b[1], w=b[2], h=b[3])
            for i, k, b in truth[lo : lo + 5_000]
        )
    return project, dataset, truth, {label.id: label.name for label in labels}


def _truth(rng, item_ids: list[int], label_ids: list[int]) -> list:
    counts = rng.integers(0, 9, len(item_ids))
    boxes = _random_boxes(rng, int(counts.sum()))
    labels = rng.choice(label_ids, int(counts.sum()))
    items = np.repeat(item_ids, counts)
    return list(zip(items.tolist(), labels.tolist(), boxes.tolist(), strict=True))


def _random_boxes(rng, n: int) -> np.ndarray:
    xy = rng.uniform(0, SIDE - 150, (n, 2))
    return np.round(np.c_[xy, rng.uniform(8, 140, (n, 2))], 2)


def predictions(rng, truth: list, item_ids: list[int], names: dict, per_item: int = 10):
    """Rows for predictions_add: jittered truths (some relabelled), the rest background."""
    label_names = list(names.values())
    copies = [
        {
            "item": i,
            "label": names[k] if rng.random() > 0.1 else label_names[rng.integers(LABELS)],
            "box": _jittered(rng, b),
            "confidence": round(float(rng.random()), 4),
        }
        for i, k, b in truth
    ]
    background = per_item * len(item_ids) - len(copies)
    items = rng.choice(item_ids, background)
    boxes = _random_boxes(rng, background)
    rows = copies + [
        {
            "item": int(i),
            "label": label_names[rng.integers(LABELS)],
            "box": b,
            "confidence": round(float(rng.random()), 4),
        }
        for i, b in zip(items.tolist(), boxes.tolist(), strict=True)
    ]
    return rows


def _jittered(rng, box: list[float]) -> list[float]:
    x, y, w, h = box
    dx, dy, dw, dh = rng.normal(0, 0.08, 4) * [w, h, w, h]
    x, y = min(max(x + dx, 0), SIDE - 10), min(max(y + dy, 0), SIDE - 10)
    return [
        round(x, 2),
        round(y, 2),
        round(min(max(w + dw, 2), SIDE - x), 2),
        round(min(max(h + dh, 2), SIDE - y), 2),
    ]


def timed(label: str, work):
    start = time.perf_counter()
    result = work()
    print(f"{label:48} {time.perf_counter() - start:8.2f} s", flush=True)
    return result


def store(evaluation, rows: list[dict]) -> None:
    from evaluation.services import predictions_add

    for lo in range(0, len(rows), CHUNK):
        predictions_add(evaluation=evaluation, rows=rows[lo : lo + CHUNK])


def review_client(evaluation):
    """A signed-in test client of a member of the evaluation's project."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from registry.models import Membership

    user, _ = get_user_model().objects.get_or_create(username="bench-reviewer")
    Membership.objects.get_or_create(project=evaluation.project, user=user, role="viewer")
    client = Client(HTTP_HOST="localhost", raise_request_exception=True)
    client.force_login(user)
    return client


def request_ms(client, url: str, **headers) -> float:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    took = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}")
    return took


def review_requests(evaluation, rng, moves: int = 40) -> None:
    from django.urls import reverse

    client = review_client(evaluation)
    url = reverse("evaluation:evaluation_review", args=[evaluation.project_id, evaluation.pk])
    request_ms(client, url)  # warm: templates compiled, connection open
    for tab in ("fp", "fn"):
        page = [request_ms(client, f"{url}?tab={tab}") for _ in range(5)]
        print(f"review page, {tab} tab (full page):".ljust(49), _spread(page), flush=True)
        took = []
        for _ in range(moves):
            iou = float(rng.choice(np.arange(0.5, 0.96, 0.05)))
            confidence = round(float(rng.random()), 2)
            query = f"?tab={tab}&iou={iou:.2f}&conf={confidence:.2f}"
            took.append(request_ms(client, url + query, HX_Request="true"))
        print(f"slider move, {tab} tab (htmx partial):".ljust(49), _spread(took), flush=True)


def _spread(took: list[float]) -> str:
    return f"median {np.median(took):6.0f} ms, p95 {np.percentile(took, 95):6.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--evaluation", type=int, help="time the requests on this one only")
    options = parser.parse_args()
    setup_django(postgres=True)
    rng = np.random.default_rng(options.seed)
    if options.evaluation:
        from evaluation.models import Evaluation

        review_requests(Evaluation.objects.get(pk=options.evaluation), rng)
        return
    from evaluation.services import evaluation_compute, evaluation_create
    from registry.models import ModelVersion, Package

    project, dataset, truth, names = timed(
        f"dataset: {options.items} items", lambda: build_dataset(options.items, rng)
    )
    print(f"{len(truth)} ground-truth boxes")
    package = Package.objects.create(
        name=f"bench-{project.id}", output_type="box", adapter="bench:Adapter", project=project
    )
    model = ModelVersion.objects.create(project=project, package=package, name="bench")
    evaluation = evaluation_create(model=model, dataset=dataset, user=None, subset="test")
    item_ids = list(dataset.items.values_list("id", flat=True))
    rows = predictions(rng, truth, item_ids, names)
    timed(f"store {len(rows)} predictions (predictions_add)", lambda: store(evaluation, rows))

    timed("finish (evaluation_compute)", lambda: evaluation_compute(evaluation=evaluation))
    evaluation.refresh_from_db()
    summary = evaluation.summary
    print({key: round(value, 4) for key, value in summary.items() if isinstance(value, float)})
    print("counts at IoU 0.5:", {key: summary["counts"][key] for key in ("tp", "fp", "fn")})
    print(f"evaluation {evaluation.pk}")
    review_requests(evaluation, rng)


if __name__ == "__main__":
    main()
