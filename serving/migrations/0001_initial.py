"""The serving app's models, moved here from the apps that held them, on the tables they had."""

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
                    name='Deployment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('state', models.CharField(choices=[('starting', 'Starting'), ('ready', 'Ready'), ('failed', 'Failed'), ('stopped', 'Stopped')], default='starting', max_length=10)),
                        ('queue', models.CharField(default='inference', max_length=50)),
                        ('concurrency', models.PositiveSmallIntegerField(default=1)),
                        ('artifacts', models.JSONField(blank=True, default=list)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('ready_at', models.DateTimeField(blank=True, null=True)),
                        ('stopped_at', models.DateTimeField(blank=True, null=True)),
                        ('worker', models.CharField(blank=True, max_length=200)),
                        ('heartbeat_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deployments', to='registry.modelversion')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deployments', to='registry.project')),
                        ('stopped_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'registry_deployment',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['project', 'state'], name='deployment_project_state')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('state__in', ('starting', 'ready'))), fields=('model',), name='deployment_one_live_per_model')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
