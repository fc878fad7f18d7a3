import os
import time

from django.core.management.base import BaseCommand

from demo.load import demo_load


class Command(BaseCommand):
    help = "Load the demo user, project, datasets, packages and models (safe to run again)."

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        demo_load(password=os.environ.get("DEMO_PASSWORD", "demo"), say=self.stdout.write)
        self.stdout.write(f"load_demo done in {time.monotonic() - started:.1f} s")
