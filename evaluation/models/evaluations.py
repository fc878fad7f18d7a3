"""Evaluations: a model version's predictions on a dataset subset, matched once, thresholded later.

COCO matching is greedy by descending confidence, so dropping detections below a
confidence threshold does not change what the remaining ones matched. Each
stored prediction therefore keeps the ground truth it matched at each of the ten
COCO IoU thresholds (0.50, 0.55, ..., 0.95), and each ground truth keeps the
confidence of the prediction that matched it at each threshold. Then any
(IoU threshold, confidence threshold) pair gives TP / FP / FN by indexed
queries, without matching again:

* TP at (t, c): predictions with confidence >= c whose match at t is set;
* FP at (t, c): predictions with confidence >= c whose match at t is empty;
* FN at (t, c): ground truths whose matched confidence at t is empty or < c.

Classification evaluations use the same rows: one ground truth per item (its
label), the predictions without boxes, "matched" meaning the right label.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce

from data.models import Dataset, Item, Label
from jobs.models import Job
from registry.models import ModelVersion, Project

IOU_THRESHOLDS = tuple(round(0.5 + 0.05 * i, 2) for i in range(10))
# Column suffixes for the thresholds: 50, 55, ..., 95.
THRESHOLD_KEYS = tuple(f"{round(t * 100):02d}" for t in IOU_THRESHOLDS)


def missed_at(key: str) -> Coalesce:
    """A ground truth's matched confidence at threshold `key`, -1 when it was missed:
    a false negative at confidence c is one whose missed_at is below c."""
    return Coalesce(F(f"conf_{key}"), Value(-1.0))


class EvaluationStatus(models.TextChoices):
    CREATED = "created", "Accepting predictions"
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Done"
    FAILED = "failed", "Failed"


class EvaluationMode(models.TextChoices):
    ONLINE = "online", "Run by Modelyard (the package's adapter)"
    OFFLINE = "offline", "Predictions uploaded"


class Evaluation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluations")
    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="evaluations")
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="evaluations")
    subset = models.CharField(
        max_length=12, blank=True, help_text="train / validation / test / none; empty: every item"
    )
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=8, choices=[("class", "Classification"), ("box", "Boxes")])
    mode = models.CharField(max_length=8, choices=EvaluationMode.choices)
    status = models.CharField(
        max_length=12, choices=EvaluationStatus.choices, default=EvaluationStatus.CREATED
    )
    job = models.ForeignKey(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="evaluations"
    )
    # The thresholds the review page opens with; every pair can be asked for later.
    iou_threshold = models.FloatField(default=0.5)
    confidence_threshold = models.FloatField(default=0.0)
    summary = models.JSONField(default=dict, blank=True)
    per_label = models.JSONField(default=dict, blank=True)
    confusion = models.JSONField(default=dict, blank=True)
    pr_curves = models.JSONField(default=dict, blank=True)
    item_count = models.PositiveIntegerField(default=0)
    prediction_count = models.PositiveIntegerField(default=0)
    ground_truth_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "comparison_evaluation"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "name"], name="evaluation_name_unique_on_model"
            )
        ]
        indexes = [models.Index(fields=["project", "-created_at"], name="evaluation_project")]

    def __str__(self) -> str:
        return f"{self.model} on {self.dataset}/{self.subset or 'all'}"


class EvalGroundTruth(models.Model):
    """A ground-truth annotation as it was when the evaluation finished.

    Its rows are copied in bulk from annotations the database has already checked, so
    item and labels carry no foreign-key constraint of their own: checking 400,000 rows
    at commit took a fifth of an evaluation's finish. Django's cascade still removes
    them with their item or label. The evaluation's own key keeps its constraint; the
    composite indexes below serve its lookups.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="ground_truths", db_index=False
    )
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+", db_constraint=False)
    annotation_id = models.BigIntegerField(null=True, blank=True)
    label = models.ForeignKey(
        Label, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    w = models.FloatField(null=True, blank=True)
    h = models.FloatField(null=True, blank=True)
    # Confidence of the prediction that matched it at IoU .50, .55, ... (empty: missed there).
    conf_50 = models.FloatField(null=True, blank=True)
    conf_55 = models.FloatField(null=True, blank=True)
    conf_60 = models.FloatField(null=True, blank=True)
    conf_65 = models.FloatField(null=True, blank=True)
    conf_70 = models.FloatField(null=True, blank=True)
    conf_75 = models.FloatField(null=True, blank=True)
    conf_80 = models.FloatField(null=True, blank=True)
    conf_85 = models.FloatField(null=True, blank=True)
    conf_90 = models.FloatField(null=True, blank=True)
    conf_95 = models.FloatField(null=True, blank=True)
    # The best prediction of any label over it (for "missed" vs "wrong label").
    best_iou_any = models.FloatField(default=0)
    best_label_any = models.ForeignKey(
        Label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )

    class Meta:
        db_table = "comparison_evalgroundtruth"
        indexes = [
            *(
                # The false negatives at threshold t, most confident near-miss first,
                # one page without sorting them all: see selectors.errors_at.
                models.Index(
                    F("evaluation"),
                    missed_at(key).desc(),
                    F("id").desc(),
                    name=f"evalgt_missed_{key}",
                )
                for key in THRESHOLD_KEYS
            ),
            models.Index(fields=["evaluation", "label"], name="evalgt_label"),
            models.Index(fields=["evaluation", "item"], name="evalgt_item"),
            # Pairs a ground truth with its twin in another evaluation (regression diff).
            models.Index(fields=["evaluation", "annotation_id"], name="evalgt_annotation"),
        ]

    def __str__(self) -> str:
        return f"ground truth {self.label_id} on item {self.item_id}"


class EvalPrediction(models.Model):
    """One prediction of the evaluated model, with what it matched at each IoU threshold."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="predictions")
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    confidence = models.FloatField()
    x = models.FloatField(null=True, blank=True)
    y = models.FloatField(null=True, blank=True)
    w = models.FloatField(null=True, blank=True)
    h = models.FloatField(null=True, blank=True)
    # The EvalGroundTruth id it matched at IoU .50, .55, ... (empty: a false positive there).
    match_50 = models.BigIntegerField(null=True, blank=True)
    match_55 = models.BigIntegerField(null=True, blank=True)
    match_60 = models.BigIntegerField(null=True, blank=True)
    match_65 = models.BigIntegerField(null=True, blank=True)
    match_70 = models.BigIntegerField(null=True, blank=True)
    match_75 = models.BigIntegerField(null=True, blank=True)
    match_80 = models.BigIntegerField(null=True, blank=True)
    match_85 = models.BigIntegerField(null=True, blank=True)
    match_90 = models.BigIntegerField(null=True, blank=True)
    match_95 = models.BigIntegerField(null=True, blank=True)
    # IoU with the best ground truth of the same label, and of any label (error kinds).
    iou_same = models.FloatField(default=0)
    iou_any = models.FloatField(default=0)
    best_gt_any = models.BigIntegerField(null=True, blank=True)

    class Meta:
        db_table = "comparison_evalprediction"
        indexes = [
            models.Index(fields=["evaluation", "confidence"], name="evalpred_conf"),
            models.Index(fields=["evaluation", "label", "confidence"], name="evalpred_label_conf"),
            models.Index(fields=["evaluation", "item"], name="evalpred_item"),
        ]

    def __str__(self) -> str:
        return f"prediction {self.label_id} ({self.confidence:.2f}) on item {self.item_id}"
