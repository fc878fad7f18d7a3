"""Index ground truths by (evaluation, annotation) for the regression diff.

The diff pairs each ground truth of one evaluation with the same annotation's row in
another; without the index each pairing reads the other evaluation's rows.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("comparison", "0004_evaluation_rows_fillfactor")]

    operations = [
        migrations.AddIndex(
            model_name="evalgroundtruth",
            index=models.Index(fields=["evaluation", "annotation_id"], name="evalgt_annotation"),
        ),
    ]
