"""What the data app tells other domains about its rows, so it need not know them.

Sent inside the deleting transaction, before the rows go, naming their ids:
domains that keep summaries over items or labels (the evaluations' count grids)
drop theirs, and a rolled-back delete rolls that back too.
"""

from django.dispatch import Signal

rows_deleting = Signal()  # sender: the model (Item or Label); kwargs: item_ids, label_ids
