from pathlib import Path

from django.core.management.base import BaseCommand

from demo.files import sample_files_write


class Command(BaseCommand):
    help = (
        "Write files to try the SDK and the API with: digits.zip, a.png, b.png, "
        "and shapes.json with its images under shapes/."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("folder", nargs="?", default="modelyard-files", type=Path)

    def handle(self, *args, folder: Path, **options) -> None:
        written = sample_files_write(folder)
        self.stdout.write(f"{len(written)} files in {folder.resolve()}")
