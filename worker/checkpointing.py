"""Checkpoints stored beside the training, so the next epoch does not wait for the disk.

The adapter writes its checkpoint into a folder and hands it over; the files move
(a rename, not a copy) to a folder of their own, and a thread zips and stores them
while the next epoch trains. One checkpoint is in flight at a time, so disk and
memory stay bounded; `wait()` ends the last one and raises what it raised.
"""

import shutil
import tempfile
import threading
from pathlib import Path

from django.db import connection

from jobs import services as job_services
from jobs.checkpoints import checkpoint_store
from jobs.models import Job


class CheckpointWriter:
    def __init__(self, job: Job) -> None:
        self.job = job
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, folder: str, epoch: int) -> None:
        self.wait()
        held = Path(tempfile.mkdtemp(prefix="modelyard-checkpoint-held-"))
        for path in Path(folder).iterdir():
            shutil.move(str(path), held / path.name)
        self._thread = threading.Thread(
            target=self._store, args=(held, epoch), name=f"job-{self.job.id}-checkpoint"
        )
        self._thread.start()

    def wait(self, raising: bool = True) -> None:
        """Until the checkpoint in flight is stored; its error raised (or, with
        `raising=False` while another error ends the job, only logged)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        error, self._error = self._error, None
        if error is not None and raising:
            raise error
        if error is not None:
            job_services.job_log(job_id=self.job.id, line=f"checkpoint not kept: {error!r}")

    def _store(self, held: Path, epoch: int) -> None:
        try:
            stored = checkpoint_store(job=self.job, folder=held, epoch=epoch)
            line = f"checkpoint after epoch {epoch} kept ({stored.size:,} bytes)"
            job_services.job_log(job_id=self.job.id, line=line)
        except BaseException as error:  # raised again in the training's thread
            self._error = error
        finally:
            shutil.rmtree(held, ignore_errors=True)
            connection.close()
