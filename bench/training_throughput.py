"""The `resnet` package through the runner against a bare PyTorch loop, and its memory.

    .venv/bin/python bench/training_throughput.py [--items 2000] [--epochs 2]
        [--architecture resnet18] [--image-size 32] [--memory 2000,20000]

In a throw-away folder (SQLite, local files), makes `--items` 64 × 64 PNG images of
three colours with their labels and prints, in images per second:
1. training: a real training job run in this process by the runner
   (`worker.training.run_training_job`: data streamed from storage, heartbeats,
   metrics, a checkpoint per epoch, artifacts) against a bare PyTorch loop over
   the same files (PIL decode, the same transform, model, optimiser and batch size);
2. batch prediction: an evaluation job (`worker.evaluating.run_evaluation_job`:
   every item predicted in batches, predictions stored, metrics computed) against
   a bare `torch.no_grad()` loop over the same files;
3. peak memory (VmHWM, reset before training) of a child process that trains one epoch through the
   runner, for each count of `--memory`: streaming keeps the two close.
The goal is the runner at 90 % or more of the bare loop. Both sides start warm: the
bare loop after torch has run, the runner after the libraries a worker process imports
when it starts (`worker.preload`, WORKER_PRELOAD), as in a running worker.
"""

import argparse
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "sdk"))

from bench.benchsetup import setup_django  # noqa: E402

COLOURS = {"red": (200, 40, 40), "green": (40, 200, 40), "blue": (40, 40, 200)}


def png_bytes(index: int, rng) -> tuple[str, bytes]:
    import numpy as np
    from PIL import Image

    label = list(COLOURS)[index % 3]
    pixels = np.clip(np.array(COLOURS[label]) + rng.integers(-70, 70, (64, 64, 3)), 0, 255)
    buffer = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8)).save(buffer, format="PNG")
    return label, buffer.getvalue()


def colour_dataset(count: int):
    """A dataset of `count` train items, written straight to storage and bulk-inserted."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from data.models import Annotation, Dataset, Item, Label
    from registry.models import Project

    user = get_user_model().objects.create_user(f"bench-{time.time_ns()}", password="x")
    project = Project.objects.create(name=f"bench {time.time_ns()}")
    dataset = Dataset.objects.create(project=project, name="colours", annotation_kind="class")
    labels = {name: Label.objects.create(dataset=dataset, name=name) for name in COLOURS}
    rng, items, truth = np.random.default_rng(0), [], []
    for index in range(count):
        label, data = png_bytes(index, rng)
        name = default_storage.save(f"bench/{dataset.id}/{index:06d}.png", ContentFile(data))
        items.append(
            Item(
                dataset=dataset,
                name=f"{index:06d}.png",
                file=name,
                subset="train",
                content_type="image/png",
                size=len(data),
                width=64,
                height=64,
            )
        )
        truth.append(label)
    items = Item.objects.bulk_create(items, batch_size=2000)
    Annotation.objects.bulk_create(
        [
            Annotation(item=item, label=labels[t], kind="class")
            for item, t in zip(items, truth, strict=True)
        ],
        batch_size=2000,
    )
    return user, project, dataset


def resnet_model(user, project, dataset, options):
    from registry.models import ModelVersion, Package

    package, _ = Package.objects.get_or_create(
        project=None,
        name="resnet",
        defaults={"adapter": "worker.adapters.resnet:ResNetAdapter", "output_type": "class"},
    )
    configuration = {
        "architecture": options.architecture,
        "image_size": options.image_size,
        "epochs": options.epochs,
        "batch_size": 64,
        "learning_rate": 0.01,
    }
    return ModelVersion.objects.create(
        project=project,
        package=package,
        name=f"bench {time.time_ns()}",
        dataset=dataset,
        labels=list(COLOURS),
        configuration=configuration,
        created_by=user,
        validation_subset="test",  # none: the bench times training alone
    )


def runner_training(model, user) -> float:
    from jobs.services import model_train
    from worker.training import run_training_job

    job = model_train(model=model, user=user)
    started = time.perf_counter()
    run_training_job(job.id, "bench")
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return seconds


def bare_training(paths: list[Path], targets: list[int], options) -> float:
    import torch
    from PIL import Image
    from torch.nn import functional as nnf

    transform = _bare_transform(options)

    class Files(torch.utils.data.Dataset):
        def __len__(self):
            return len(paths)

        def __getitem__(self, index):
            with Image.open(paths[index]) as image:
                tensor = _tensor(image.convert("RGB"))
            return transform(tensor), targets[index]

    torch.manual_seed(0)
    net = _bare_net(options)
    optimiser = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    loader = torch.utils.data.DataLoader(Files(), batch_size=64, shuffle=True)
    started = time.perf_counter()
    for _ in range(options.epochs):
        net.train()
        for images, labels in loader:
            loss = nnf.cross_entropy(net(images), labels)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return time.perf_counter() - started


def _bare_transform(options):
    from torchvision.transforms import v2

    return v2.Compose([v2.Resize((options.image_size,) * 2), v2.Lambda(_normalised)])


def _bare_net(options):
    import torchvision

    return getattr(torchvision.models, options.architecture)(weights=None, num_classes=3)


def _tensor(image):
    import numpy as np
    import torch

    return torch.from_numpy(np.asarray(image).copy()).permute(2, 0, 1).float().div_(255)


def _normalised(tensor):
    from torchvision.transforms.v2 import functional as F

    return F.normalize(tensor, [0.485, 0.456, 0.406], [0.229, 0.224, 0.225])


def runner_prediction(model, dataset, user) -> float:
    from evaluation.services import model_evaluate
    from worker.evaluating import run_evaluation_job

    job = model_evaluate(model=model, dataset=dataset, subset="train", user=user)
    started = time.perf_counter()
    run_evaluation_job(job.id, "bench")
    seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    return seconds


def bare_prediction(paths: list[Path], options) -> float:
    import torch
    from PIL import Image

    transform = _bare_transform(options)
    net = _bare_net(options).eval()
    started = time.perf_counter()
    with torch.no_grad():
        for start in range(0, len(paths), 64):
            batch = []
            for path in paths[start : start + 64]:
                with Image.open(path) as image:
                    batch.append(transform(_tensor(image.convert("RGB"))))
            torch.softmax(net(torch.stack(batch)), dim=1).numpy()
    return time.perf_counter() - started


def files_of(dataset) -> tuple[list[Path], list[int]]:
    from django.core.files.storage import default_storage

    items = dataset.items.order_by("id").prefetch_related("annotations__label")
    paths = [Path(default_storage.path(item.file.name)) for item in items]
    names = list(COLOURS)
    targets = [names.index(item.annotations.all()[0].label.name) for item in items]
    return paths, targets


def peak_memory_child(count: int, options) -> None:
    """In a fresh process: one epoch of `count` items through the runner; prints max RSS."""
    with tempfile.TemporaryDirectory(prefix="modelyard-bench-memory-") as folder:
        setup_django(folder)
        user, project, dataset = colour_dataset(count)
        options.epochs = 1
        model = resnet_model(user, project, dataset, options)
        before = _status_mb("VmRSS")
        # The peak so far (the dataset's making) is not the training's: reset it.
        Path("/proc/self/clear_refs").write_text("5")
        runner_training(model, user)
        print(json.dumps({"items": count, "before_mb": before, "peak_mb": _status_mb("VmHWM")}))


def _status_mb(field: str) -> float:
    """A memory figure of this process from /proc (getrusage's peak survives exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def peak_memory(counts: list[int], options) -> list[dict]:
    rows = []
    for count in counts:
        arguments = [
            sys.executable,
            __file__,
            "--memory-child",
            str(count),
            "--architecture",
            options.architecture,
            "--image-size",
            str(options.image_size),
        ]
        done = subprocess.run(arguments, capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return rows


def _as_a_worker_process_starts() -> None:
    from django.conf import settings

    from worker.preload import preload

    preload(settings.WORKER_PRELOAD)


def report(name: str, count: int, runner: float, bare: float) -> None:
    runner_rate, bare_rate = count / runner, count / bare
    print(
        f"{name}: runner {runner_rate:7.1f} images/s ({runner:.1f} s), "
        f"bare PyTorch {bare_rate:7.1f} images/s ({bare:.1f} s): "
        f"runner at {100 * runner_rate / bare_rate:.0f} %"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--architecture", default="resnet18")
    parser.add_argument("--image-size", type=int, default=32)
    parser.add_argument("--memory", default="2000,20000", help="item counts, or 'none'")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.memory_child:
        return peak_memory_child(options.memory_child, options)
    with tempfile.TemporaryDirectory(prefix="modelyard-bench-training-") as folder:
        setup_django(folder)
        _as_a_worker_process_starts()
        user, project, dataset = colour_dataset(options.items)
        paths, targets = files_of(dataset)
        model = resnet_model(user, project, dataset, options)
        print(
            f"{options.items} images of 64 × 64 px, {options.architecture} at "
            f"{options.image_size} px, batch 64, {options.epochs} epochs, CPU"
        )
        bare = bare_training(paths, targets, options)
        runner = runner_training(model, user)
        report("training", options.items * options.epochs, runner, bare)
        report(
            "batch prediction",
            options.items,
            runner_prediction(model, dataset, user),
            bare_prediction(paths, options),
        )
    if options.memory != "none":
        for row in peak_memory([int(n) for n in options.memory.split(",")], options):
            print(
                f"peak memory, one epoch of {row['items']:,} items through the runner: "
                f"{row['peak_mb']:,.0f} MB (before training {row['before_mb']:,.0f} MB)"
            )


if __name__ == "__main__":
    main()
