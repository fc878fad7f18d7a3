"""The pipelines app's models, moved here from the apps that held them, on the tables they had."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('data', '0001_initial'),
        ('evaluation', '0001_initial'),
        ('jobs', '0001_initial'),
        ('registry', '0008_models_move_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # State only: the tables stay where they are (each model keeps its db_table),
    # so an installation's rows, indexes, constraints and triggers are untouched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Pipeline',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('overrides', models.JSONField(blank=True, default=dict)),
                        ('trigger', models.CharField(choices=[('manual', 'Manual only'), ('new_items', 'Every N newly annotated train items'), ('schedule', 'On a schedule')], default='manual', max_length=12)),
                        ('new_items_threshold', models.PositiveIntegerField(blank=True, null=True)),
                        ('schedule', models.CharField(blank=True, help_text='cron: 5 fields', max_length=100)),
                        ('metric', models.CharField(default='accuracy', max_length=100)),
                        ('higher_is_better', models.BooleanField(default=True)),
                        ('min_improvement', models.FloatField(default=0.0)),
                        ('max_label_regression', models.FloatField(blank=True, null=True)),
                        ('auto_promote', models.BooleanField(default=True)),
                        ('paused', models.BooleanField(default=False)),
                        ('pending_trigger', models.CharField(blank=True, max_length=12)),
                        ('items_seen', models.PositiveIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('champion', models.ForeignKey(on_delete=django.db.models.deletion.RESTRICT, related_name='champion_of', to='registry.modelversion')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pipelines', to='data.dataset')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='pipelines', to='registry.project')),
                    ],
                    options={
                        'db_table': 'registry_pipeline',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='PipelineRun',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('awaiting_approval', 'Awaiting approval'), ('promoted', 'Promoted'), ('discarded', 'Discarded'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=20)),
                        ('trigger', models.CharField(choices=[('manual', 'Manual only'), ('new_items', 'Every N newly annotated train items'), ('schedule', 'On a schedule')], max_length=12)),
                        ('decision', models.JSONField(blank=True, default=dict)),
                        ('train_items', models.PositiveIntegerField(default=0)),
                        ('test_items', models.PositiveIntegerField(default=0)),
                        ('data_checksum', models.CharField(blank=True, max_length=64)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('challenger', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.modelversion')),
                        ('challenger_evaluation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='evaluation.evaluation')),
                        ('champion', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.modelversion')),
                        ('champion_evaluation', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='evaluation.evaluation')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('pipeline', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='runs', to='pipelines.pipeline')),
                    ],
                    options={
                        'db_table': 'registry_pipelinerun',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='PipelineStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(choices=[('clone', 'Clone'), ('train', 'Train'), ('evaluate_challenger', 'Evaluate challenger'), ('evaluate_champion', 'Evaluate champion'), ('compare', 'Compare'), ('promote', 'Promote')], max_length=20)),
                        ('position', models.PositiveSmallIntegerField()),
                        ('status', models.CharField(choices=[('pending', 'Pending'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('skipped', 'Skipped'), ('cancelled', 'Cancelled')], default='pending', max_length=10)),
                        ('message', models.TextField(blank=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='pipeline_steps', to='jobs.job')),
                        ('run', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='pipelines.pipelinerun')),
                    ],
                    options={
                        'db_table': 'registry_pipelinestep',
                        'ordering': ['run', 'position'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='pipeline',
                    constraint=models.UniqueConstraint(fields=('project', 'name'), name='pipeline_name_unique_in_project'),
                ),
                migrations.AddConstraint(
                    model_name='pipelinerun',
                    constraint=models.UniqueConstraint(condition=models.Q(('status__in', ('queued', 'running', 'awaiting_approval'))), fields=('pipeline',), name='pipeline_one_active_run'),
                ),
                migrations.AddConstraint(
                    model_name='pipelinestep',
                    constraint=models.UniqueConstraint(fields=('run', 'name'), name='pipeline_step_unique_in_run'),
                ),
            ],
            database_operations=[],
        ),
    ]
