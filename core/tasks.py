"""The workers' tasks, asked for by name.

A domain queues work with `task_send(NAME, ...)` and never imports the worker
package, which imports the domains. worker/tasks.py defines a task for each name.
The names are what the broker carries and what beat's table keeps, so they stay
as they were when the tasks lived in `registry` and `comparison`: renaming one
would strand the messages queued, and the schedule rows written, under the old one.
"""

from celery import current_app

WORKER_HEARTBEAT = "registry.worker_heartbeat"
TRAIN_MODEL = "registry.train_model"
REAP_STALE_JOBS = "registry.reap_stale_jobs"
DEPLOY_MODEL = "registry.deploy_model"
PREDICT_ITEMS = "registry.predict_items"
PREDICT_IMAGE = "registry.predict_image"
CHECK_PACKAGE = "registry.check_package"
PIPELINE_ADVANCE = "registry.pipeline_advance"
PIPELINE_SCHEDULED = "registry.pipeline_scheduled"
PIPELINES_CHECK_TRIGGERS = "registry.pipelines_check_triggers"
COMPUTE_EVALUATION = "comparison.compute_evaluation"
EVALUATE_MODEL = "comparison.evaluate_model"


def task_send(
    name: str, *, args: list, queue: str | None = None, task_id: str | None = None, **options
) -> None:
    """Send the task now (callers wrap it in transaction.on_commit where a row must exist)."""
    current_app.send_task(name, args=args, queue=queue, task_id=task_id, **options)


def task_revoke(task_id: str) -> None:
    """Tell the workers to drop the message with this id if it has not started."""
    current_app.control.revoke(task_id)
