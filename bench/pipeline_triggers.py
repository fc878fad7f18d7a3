"""The new-items check of pipelines at scale, and what keeping its count costs writes.

    DATABASE_URL=postgres://... .venv/bin/python bench/pipeline_triggers.py [--items 100000]

Builds (seeded) a class dataset of `--items` items in the train subset, each with one
ground-truth label, and `--pipelines` pipelines that run every 1,000 new items on it.
Prints:
1. one pass of `pipelines_check_triggers` (what beat runs every 30 s), which reads the
   kept AnnotatedItemCount, against the same pass counting the items with an EXISTS
   per item (how it counted before): median of 5, in ms;
2. inserting the labels (5,000 per statement) with the annotated-count triggers on and
   with them disabled, best of two each: the price writes pay for the check to be free.
The database named in DATABASE_URL is migrated and filled; use a throw-away one.
"""

import argparse
import statistics
import time

from benchsetup import setup_django

BATCH = 5_000
ANNOTATED_TRIGGERS = [
    "registry_annotated_annotation_insert",
    "registry_annotated_annotation_delete",
    "registry_annotated_annotation_update",
]


def build(items: int):
    """A dataset of `items` train items (no labels yet) and a champion on it."""
    from data.models import Dataset, Item, Label
    from registry.models import Artifact, ModelVersion, Package, Project

    project = Project.objects.create(name=f"bench-{time.time_ns()}")
    dataset = Dataset.objects.create(project=project, name="digits", annotation_kind="class")
    labels = Label.objects.bulk_create(
        Label(dataset=dataset, name=str(k), position=k) for k in range(10)
    )
    # Committed 5,000 at a time: the item-count triggers rewrite one row per item, and
    # one long transaction would pile up that row's versions.
    for lo in range(0, items, BATCH):
        Item.objects.bulk_create(
            Item(
                dataset=dataset,
                name=f"d_{i:07d}.png",
                file=f"b/{i}.png",
                content_type="image/png",
                width=8,
                height=8,
                subset="train",
            )
            for i in range(lo, min(lo + BATCH, items))
        )
    package = Package.objects.create(
        name=f"bench-{project.id}", output_type="class", adapter="bench:Adapter", project=project
    )
    champion = ModelVersion.objects.create(
        project=project, package=package, name="v1", dataset=dataset, status="trained"
    )
    Artifact.objects.create(model=champion, name="weights.npz", file="b/w.npz", size=1)
    return dataset, labels, champion


def add_pipelines(champion, count: int) -> None:
    """After the labels: they are not new to the pipelines, so no run starts."""
    from pipelines.services.pipelines import pipeline_create

    for n in range(count):
        pipeline_create(
            project=champion.project,
            user=None,
            name=f"every 1000 #{n}",
            dataset=champion.dataset,
            champion=champion,
            trigger="new_items",
            new_items_threshold=1_000,
        )


def label_items(dataset, labels, triggers_on: bool) -> float:
    """Give every item of the dataset one label; seconds taken."""
    from django.db import connection, transaction

    from data.models import Annotation

    item_ids = list(dataset.items.order_by("id").values_list("id", flat=True))
    _set_triggers(connection, enabled=triggers_on)
    started = time.perf_counter()
    for lo in range(0, len(item_ids), BATCH):
        with transaction.atomic():
            Annotation.objects.bulk_create(
                Annotation(item_id=i, label=labels[i % 10], kind="class")
                for i in item_ids[lo : lo + BATCH]
            )
    took = time.perf_counter() - started
    _set_triggers(connection, enabled=True)
    return took


def _set_triggers(connection, enabled: bool) -> None:
    verb = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for name in ANNOTATED_TRIGGERS:
            cursor.execute(f"ALTER TABLE registry_annotation {verb} TRIGGER {name}")


def vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registry_annotation")
        cursor.execute("VACUUM ANALYZE registry_item")


def counted_by_exists(pipeline) -> int:
    from django.db.models import Exists, OuterRef

    from data.models import Annotation, Item

    truth = Annotation.objects.filter(item=OuterRef("pk"), model__isnull=True)
    items = Item.objects.filter(dataset_id=pipeline.dataset_id, subset="train")
    return items.filter(Exists(truth)).count()


def check_pass_by_exists() -> list[int]:
    from pipelines.models import Pipeline

    due = Pipeline.objects.filter(trigger="new_items", paused=False).select_related("champion")
    return [
        pipeline.id
        for pipeline in due
        if counted_by_exists(pipeline) - pipeline.items_seen >= pipeline.new_items_threshold
    ]


def median_ms(work, repeats: int = 5) -> float:
    took = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--pipelines", type=int, default=20)
    options = parser.parse_args()
    setup_django(postgres=True)
    from data.selectors import annotated_counts
    from pipelines.services.pipelines import pipelines_check_triggers

    # Datasets alike, each labelled once, alternately without and with the triggers
    # (a dataset labelled without them has a wrong count; it only serves the timing).
    took = {False: [], True: []}
    for triggers_on in (False, True, False, True):
        dataset, labels, champion = build(options.items)
        took[triggers_on].append(label_items(dataset, labels, triggers_on=triggers_on))
        vacuum()  # after, not before: statistics of an empty table make seq-scan plans
    assert annotated_counts(dataset.id)["train"] == options.items
    off, on = min(took[False]), min(took[True])
    print(f"{options.items} labels inserted (best of 2): {off:.2f} s without the")
    print(f"  annotated-count triggers, {on:.2f} s with them ({(on / off - 1) * 100:+.0f} %)")
    add_pipelines(champion, options.pipelines)
    assert pipelines_check_triggers() == []
    kept = median_ms(pipelines_check_triggers)
    exists = median_ms(check_pass_by_exists)
    print(f"check pass over {options.pipelines} pipelines, {options.items} train items:")
    print(f"  kept count {kept:.1f} ms, EXISTS per item {exists:.1f} ms ({exists / kept:.0f}x)")


if __name__ == "__main__":
    main()
