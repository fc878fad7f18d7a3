from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.models import ModelVersion
from worker.weights_import import weights_import


class Command(BaseCommand):
    help = (
        "Install a weights file (a state_dict: .safetensors, .pt or .pth) as the weights of "
        "a public version, e.g. `import_weights resnet pretrained-resnet50 resnet50.pth`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("package", help="the public package's name, e.g. resnet")
        parser.add_argument("version", help="the public version's name, e.g. pretrained-resnet50")
        parser.add_argument("path", type=Path, help="the weights file")
        parser.add_argument(
            "--labels",
            type=Path,
            help="a text file with the head's labels, one per line, in output order",
        )

    def handle(self, *args, package: str, version: str, path: Path, labels, **options) -> None:
        model = self._version(package, version)
        if not path.is_file():
            raise CommandError(f"no file at {path}")
        try:
            done = weights_import(model=model, path=path, labels=self._labels(labels))
        except ValueError as error:
            raise CommandError(f"{path.name} was not imported: {error}") from error
        self.stdout.write(
            f"{package}/{version}: weights from {path.name} installed "
            f"(sha256 {done['sha256']}, {done['labels']} labels)"
        )

    def _version(self, package: str, version: str) -> ModelVersion:
        found = ModelVersion.objects.filter(
            project__isnull=True, package__project__isnull=True, package__name=package, name=version
        ).first()
        if found is None:
            raise CommandError(f"no public version {version!r} of a public package {package!r}")
        return found

    def _labels(self, file: Path | None) -> list[str] | None:
        if file is None:
            return None
        labels = [line.strip() for line in file.read_text().splitlines() if line.strip()]
        if len(set(labels)) != len(labels):
            raise CommandError(f"{file} repeats a label")
        return labels
