"""The metrics store: one summary row per series, the points in columnar chunks.

Why not one row per point: Modelyard is built for 1,000,000 points per model version
and 10,000 versions, and the comparison view reads hundreds of series at once. A
row per point means a billion-row table, an index entry per point, and a million
ORM rows to read one series. Here a series is

- one `MetricSeries` row (unique per model and name) that keeps its summary up to
  date on every write (point count, first/last step, last value, min, max), so
  summary tables and name pickers never touch the points, and
- a few `MetricChunk` rows, each holding up to `CHUNK_CAPACITY` points as three
  packed little-endian arrays (int64 steps, float64 values, float64 timestamps),
  sorted by step. A million-point series is 100 to 500 rows of about 240 kB, read
  straight into numpy; a zoomed read fetches only the chunks overlapping the range.

Small writes (the training worker logs one point per metric per epoch) are merged
into the series' open chunk while it is small, so per-epoch logging does not leave
a chunk per point behind. Raw bytes work the same on SQLite (BLOB) and PostgreSQL
(bytea). Points are never deduplicated: logging a step twice keeps both points.
"""

from django.db import models

from registry.models import ModelVersion

# A request holds at most 10,000 points, so a fresh chunk never exceeds this.
CHUNK_CAPACITY = 10_000
# The open chunk takes new points only while it is smaller than this: rewriting it
# on every append then costs at most ~50 kB, and closed chunks stay reasonably big.
OPEN_CHUNK_LIMIT = 2_048


# The summary a series keeps current on every write (see MetricSeries).
SERIES_SUMMARY_FIELDS = (
    "point_count",
    "first_step",
    "last_step",
    "last_value",
    "min_value",
    "max_value",
    "last_timestamp",
)


class MetricSeries(models.Model):
    """One named metric of one model version, with a summary kept current on write."""

    model = models.ForeignKey(ModelVersion, on_delete=models.CASCADE, related_name="metric_series")
    name = models.CharField(max_length=250)
    point_count = models.BigIntegerField(default=0)
    first_step = models.BigIntegerField(null=True, blank=True)
    last_step = models.BigIntegerField(null=True, blank=True)
    last_value = models.FloatField(
        null=True, blank=True, help_text="The value at the highest step (the latest logged)."
    )
    min_value = models.FloatField(null=True, blank=True)
    max_value = models.FloatField(null=True, blank=True)
    last_timestamp = models.FloatField(
        null=True, blank=True, help_text="Wall time of the newest point, in seconds since 1970."
    )
    # A plain id, not a foreign key: deleting a series then deletes its chunks in one
    # statement instead of loading every chunk to clear a reference to it.
    open_chunk_id = models.BigIntegerField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "name"], name="metric_series_unique_name")
        ]
        ordering = ["model_id", "name"]
        verbose_name_plural = "metric series"

    def __str__(self) -> str:
        return f"{self.model_id}:{self.name}"

    @property
    def figure(self) -> str:
        """`loss/train` is drawn in the figure `loss`; a name without "/" is its own figure."""
        return self.name.split("/", 1)[0]

    @property
    def legend(self) -> str:
        return self.name.split("/", 1)[1] if "/" in self.name else self.name


class MetricChunk(models.Model):
    """Up to CHUNK_CAPACITY points of one series, sorted by step, as packed arrays."""

    series = models.ForeignKey(MetricSeries, on_delete=models.CASCADE, related_name="chunks")
    first_step = models.BigIntegerField()
    last_step = models.BigIntegerField()
    count = models.PositiveIntegerField()
    steps = models.BinaryField(help_text="int64 little-endian")
    values = models.BinaryField(help_text="float64 little-endian")
    timestamps = models.BinaryField(help_text="float64 little-endian, seconds since 1970")

    class Meta:
        indexes = [
            models.Index(fields=["series", "first_step"], name="metric_chunk_series_first"),
        ]
        ordering = ["series_id", "first_step", "id"]

    def __str__(self) -> str:
        return f"{self.series_id}: steps {self.first_step}–{self.last_step} ({self.count})"


class MetricPreview(models.Model):
    """A series downsampled to `max_points`, kept for the next chart that asks the same.

    The comparison view draws hundreds of series at the same size again and again;
    downsampling each from its chunks reads every raw point (48 MB for 200 series of
    10,000 points). A preview is a tenth of that and is read as it is. It is fresh while
    the series still has `point_count` points: every write adds points, so a grown
    series is downsampled again on its next read and its preview replaced.
    """

    series = models.ForeignKey(MetricSeries, on_delete=models.CASCADE, related_name="previews")
    max_points = models.PositiveIntegerField()
    point_count = models.BigIntegerField(help_text="The series' points when it was made.")
    steps = models.BinaryField(help_text="int64 little-endian")
    values = models.BinaryField(help_text="float64 little-endian")
    timestamps = models.BinaryField(help_text="float64 little-endian, seconds since 1970")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["series", "max_points"], name="metric_preview_one_per_size"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series_id} at {self.max_points} points ({self.point_count})"
