"""Counts at every step of the review page's confidence slider, kept when an evaluation
finishes, so a slider move reads two small rows instead of counting a million.

The slider moves in steps of 1 / CONFIDENCE_STEPS. For each step k and each label, a
grid keeps how many rows reach confidence k / CONFIDENCE_STEPS: the predictions
("predictions"), the ground truths matched at one IoU threshold ("50" ... "95"), and
the ground truths in all ("truths", one number per label). A confidence between two
steps is counted from the rows, as before (evaluation.selectors).
"""

from django.db import models

from evaluation.models.evaluations import Evaluation

CONFIDENCE_STEPS = 100
PREDICTIONS = "predictions"
TRUTHS = "truths"


class EvalCountGrid(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="count_grids")
    # "predictions", "truths", or an IoU threshold's column suffix ("50" ... "95").
    column = models.CharField(max_length=12)
    # {label id: [count at confidence >= k / CONFIDENCE_STEPS for k = 0 ... STEPS]};
    # for "truths", {label id: [count]}.
    counts = models.JSONField(default=dict)

    class Meta:
        db_table = "comparison_evalcountgrid"
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "column"], name="evalcountgrid_one_per_column"
            )
        ]

    def __str__(self) -> str:
        return f"count grid {self.column} of evaluation {self.evaluation_id}"
