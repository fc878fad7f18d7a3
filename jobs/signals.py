"""What the jobs app tells other domains, so it need not know them."""

from django.dispatch import Signal

# Sent once a job has ended (succeeded, failed or cancelled), inside the transaction
# that ended it, with `job`: the row as it now is. Receivers: an evaluation left
# waiting fails with the job's reason (evaluation/receivers.py), and a pipeline run
# whose step the job is moves on (pipelines/receivers.py).
job_ended = Signal()
