"""A reviewer's verdict on one error of an evaluation: kept per evaluation, one per error."""

from django.conf import settings
from django.db import models

from evaluation.models.evaluations import EvalGroundTruth, EvalPrediction, Evaluation


class ReviewVerdict(models.TextChoices):
    GT_WRONG = "gt_wrong", "Ground truth is wrong"
    CONFIRMED = "confirmed", "Confirmed error"
    IGNORE = "ignore", "Ignore"


class ReviewMark(models.Model):
    """On a false positive (a prediction) or a false negative (a ground truth), never both.

    Marks hang on the stored rows, not on an (IoU, confidence) pair: a box stays marked
    when the sliders move, and shows wherever it is listed.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="review_marks"
    )
    prediction = models.ForeignKey(
        EvalPrediction,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_marks",
    )
    ground_truth = models.ForeignKey(
        EvalGroundTruth,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_marks",
    )
    verdict = models.CharField(max_length=12, choices=ReviewVerdict.choices)
    note = models.TextField(blank=True, max_length=2000)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "comparison_reviewmark"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(prediction__isnull=False, ground_truth__isnull=True)
                    | models.Q(prediction__isnull=True, ground_truth__isnull=False)
                ),
                name="reviewmark_one_target",
            ),
            models.UniqueConstraint(
                fields=["prediction"],
                condition=models.Q(prediction__isnull=False),
                name="reviewmark_one_per_prediction",
            ),
            models.UniqueConstraint(
                fields=["ground_truth"],
                condition=models.Q(ground_truth__isnull=False),
                name="reviewmark_one_per_ground_truth",
            ),
        ]
        indexes = [models.Index(fields=["evaluation", "verdict"], name="reviewmark_verdict")]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} on evaluation {self.evaluation_id}"
