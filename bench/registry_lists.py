"""How the registry's list pages and endpoints hold up at the planned scale.

    .venv/bin/python bench/registry_lists.py [--models 10000] [--items 100000]

Builds a throw-away SQLite database under a temporary folder (or uses
DATABASE_URL when set), fills one project with model versions, tags, items and
annotations in bulk, then times the first, a middle and the last page of the
model list, the item grid and their API endpoints through Django's test client.
Prints the median and p95 of each, in milliseconds.
"""

import argparse
import statistics
import tempfile
import time

from benchsetup import setup_django


def fill(models: int, items: int):
    from django.contrib.auth import get_user_model

    from data.models import Annotation, Dataset, Item, Label
    from registry.models import Membership, ModelTag, ModelVersion, Package, Project

    user = get_user_model().objects.create_user("bench", password="bench")
    project = Project.objects.create(name="Bench")
    Membership.objects.create(project=project, user=user, role="owner")
    package = Package.objects.create(name="bench-pkg", output_type="box", adapter="x.y:Z")
    dataset = Dataset.objects.create(project=project, name="bench", annotation_kind="box")
    labels = Label.objects.bulk_create(
        [Label(dataset=dataset, name=f"label-{i}", position=i) for i in range(10)]
    )
    rows = [
        ModelVersion(
            project=project,
            package=package,
            name=f"model-{i:05d}",
            status=("created", "trained", "failed")[i % 3],
            configuration={"lr": i},
        )
        for i in range(models)
    ]
    created = ModelVersion.objects.bulk_create(rows, batch_size=2000)
    ModelTag.objects.bulk_create(
        [ModelTag(model=m, name=f"tag-{m.id % 20}") for m in created], batch_size=5000
    )
    for start in range(0, items, 10_000):
        batch = Item.objects.bulk_create(
            [
                Item(
                    dataset=dataset,
                    name=f"img_{i:07d}.png",
                    file=f"bench/img_{i}.png",
                    content_type="image/png",
                    width=128,
                    height=128,
                    subset=("train", "validation", "test")[i % 3],
                )
                for i in range(start, min(start + 10_000, items))
            ]
        )
        Annotation.objects.bulk_create(
            [
                Annotation(item=item, label=labels[item.id % 10], kind="box", x=1, y=2, w=30, h=40)
                for item in batch
                for _ in range(2)
            ]
        )
    return user, project, dataset


def timed(client, url: str, repeats: int) -> list[float]:
    durations = []
    for _ in range(repeats):
        start = time.perf_counter()
        response = client.get(url)
        durations.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="modelyard-bench-"))
    from django.test import Client

    started = time.perf_counter()
    user, project, dataset = fill(args.models, args.items)
    print(
        f"filled {args.models:,} model versions and {args.items:,} items "
        f"({2 * args.items:,} boxes) in {time.perf_counter() - started:.1f} s"
    )
    client = Client()
    client.force_login(user)
    last_models = (args.models + 49) // 50
    last_items = (args.items + 47) // 48
    p, d = project.id, dataset.id
    urls = [
        f"/projects/{p}/models/",
        f"/projects/{p}/models/?page={last_models // 2}",
        f"/projects/{p}/models/?page={last_models}",
        f"/projects/{p}/models/?q=model-0999&status=trained",
        f"/projects/{p}/models/?tag=tag-3&sort=name",
        f"/projects/{p}/datasets/{d}/",
        f"/projects/{p}/datasets/{d}/?page={last_items}",
        f"/projects/{p}/datasets/{d}/?label={dataset.labels.first().id}&subset=test",
        f"/api/v1/models?project={p}&page_size=100",
        f"/api/v1/models?project={p}&page_size=100&page={args.models // 200}",
        f"/api/v1/items?dataset={d}&page_size=100&page={args.items // 200}",
    ]
    print(f"{'request':<70} {'median ms':>10} {'p95 ms':>8}")
    for url in urls:
        durations = sorted(timed(client, url, args.repeats))
        p95 = durations[int(0.95 * (len(durations) - 1))]
        print(f"{url:<70} {statistics.median(durations):>10.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
