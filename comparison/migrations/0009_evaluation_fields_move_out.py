"""Evaluations leave the comparison app for their own (evaluation): first the fields that tie them to each other."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('comparison', '0008_metric_previews'),
    ]

    # State only: the tables stay where they are (each model keeps its db_table),
    # so an installation's rows, indexes, constraints and triggers are untouched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='evalgroundtruth',
                    name='best_label_any',
                ),
                migrations.RemoveField(
                    model_name='evalgroundtruth',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='evalgroundtruth',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='evalgroundtruth',
                    name='label',
                ),
                migrations.RemoveField(
                    model_name='reviewmark',
                    name='ground_truth',
                ),
                migrations.RemoveField(
                    model_name='evalprediction',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='evalprediction',
                    name='item',
                ),
                migrations.RemoveField(
                    model_name='evalprediction',
                    name='label',
                ),
                migrations.RemoveField(
                    model_name='reviewmark',
                    name='prediction',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='dataset',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='job',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='model',
                ),
                migrations.RemoveField(
                    model_name='evaluation',
                    name='project',
                ),
                migrations.RemoveField(
                    model_name='reviewmark',
                    name='evaluation',
                ),
                migrations.RemoveField(
                    model_name='reviewmark',
                    name='marked_by',
                ),
                migrations.DeleteModel(
                    name='EvalCountGrid',
                ),
                migrations.DeleteModel(
                    name='EvalGroundTruth',
                ),
                migrations.DeleteModel(
                    name='EvalPrediction',
                ),
            ],
            database_operations=[],
        ),
    ]
