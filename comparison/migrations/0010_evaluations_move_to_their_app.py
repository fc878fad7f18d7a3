"""Evaluations leave the comparison app for their own (evaluation)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('comparison', '0009_evaluation_fields_move_out'),
        ('registry', '0008_models_move_to_their_apps'),
    ]

    # State only: the tables stay where they are (each model keeps its db_table),
    # so an installation's rows, indexes, constraints and triggers are untouched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='Evaluation',
                ),
                migrations.DeleteModel(
                    name='ReviewMark',
                ),
            ],
            database_operations=[],
        ),
    ]
