import os
import time

from django.core.management.base import BaseCommand

from demo.load import demo_load


class Command(BaseCommand):
    help = "Load the demo user, project, datasets, packages and models (safe to run again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--retrain",
            action="store_true",
            help="Train the pretrained versions even where an identical training is cached.",
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        password = os.environ.get("DEMO_PASSWORD", "demo")
        demo_load(password=password, say=self.stdout.write, retrain=options["retrain"])
        self.stdout.write(f"load_demo done in {time.monotonic() - started:.1f} s")
