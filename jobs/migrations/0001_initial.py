"""The jobs app's models, moved here from the apps that held them, on the tables they had."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registry', '0008_models_move_to_their_apps'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # State only: the tables stay where they are (each model keeps its db_table),
    # so an installation's rows, indexes, constraints and triggers are untouched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='WorkerHeartbeat',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('hostname', models.CharField(max_length=200, unique=True)),
                        ('seen_at', models.DateTimeField()),
                    ],
                    options={
                        'db_table': 'registry_workerheartbeat',
                    },
                ),
                migrations.CreateModel(
                    name='Job',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('train', 'Train'), ('evaluate', 'Evaluate'), ('predict', 'Predict'), ('check', 'Adapter check')], max_length=16)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Succeeded'), ('failed', 'Failed'), ('cancelled', 'Cancelled')], default='queued', max_length=16)),
                        ('progress', models.FloatField(default=0)),
                        ('message', models.CharField(blank=True, help_text='What is happening now.', max_length=200)),
                        ('log', models.TextField(blank=True, help_text="The last lines of the job's log.")),
                        ('error', models.TextField(blank=True, help_text='The error and its traceback, when it failed.')),
                        ('parameters', models.JSONField(blank=True, default=dict)),
                        ('queue', models.CharField(default='default', max_length=50)),
                        ('celery_task_id', models.CharField(blank=True, max_length=255)),
                        ('worker', models.CharField(blank=True, max_length=200)),
                        ('cancel_requested', models.BooleanField(default=False)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('model', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='registry.modelversion')),
                        ('package', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='registry.package')),
                        ('project', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='jobs', to='registry.project')),
                    ],
                    options={
                        'db_table': 'registry_job',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['project', '-created_at'], name='job_project_created'), models.Index(fields=['model', '-created_at'], name='job_model_created'), models.Index(fields=['status', 'heartbeat_at'], name='job_status_heartbeat')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('kind', 'train'), ('status__in', ['queued', 'running'])), fields=('model',), name='one_active_training_per_model')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
