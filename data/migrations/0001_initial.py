"""The data app's models, moved here from the apps that held them, on the tables they had."""

import data.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('registry', '0007_pipeline_champion_restrict'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # State only: the tables stay where they are (each model keeps its db_table),
    # so an installation's rows, indexes, constraints and triggers are untouched.
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Dataset',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('description', models.TextField(blank=True)),
                        ('annotation_kind', models.CharField(choices=[('class', 'Class label'), ('box', 'Box')], default='class', max_length=8)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='datasets', to='registry.project')),
                    ],
                    options={
                        'db_table': 'registry_dataset',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='AnnotatedItemCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subset', models.CharField(choices=[('train', 'Train'), ('validation', 'Validation'), ('test', 'Test'), ('none', 'None')], max_length=12)),
                        ('items', models.BigIntegerField(default=0)),
                        ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annotated_counts', to='data.dataset')),
                    ],
                    options={
                        'db_table': 'registry_annotateditemcount',
                    },
                ),
                migrations.CreateModel(
                    name='Item',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(help_text='File name, unique within the dataset.', max_length=255)),
                        ('file', models.FileField(max_length=500, upload_to=data.models.item_upload_to)),
                        ('content_type', models.CharField(max_length=50)),
                        ('size', models.PositiveBigIntegerField(default=0)),
                        ('width', models.PositiveIntegerField()),
                        ('height', models.PositiveIntegerField()),
                        ('subset', models.CharField(choices=[('train', 'Train'), ('validation', 'Validation'), ('test', 'Test'), ('none', 'None')], default='none', max_length=12)),
                        ('metadata', models.JSONField(blank=True, default=dict)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('dataset', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='items', to='data.dataset')),
                    ],
                    options={
                        'db_table': 'registry_item',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='Label',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100)),
                        ('color', models.CharField(default='#1f77b4', max_length=7)),
                        ('position', models.PositiveIntegerField(default=0)),
                        ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='labels', to='data.dataset')),
                    ],
                    options={
                        'db_table': 'registry_label',
                        'ordering': ['dataset', 'position', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Annotation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('class', 'Class label'), ('box', 'Box')], max_length=8)),
                        ('x', models.FloatField(blank=True, null=True)),
                        ('y', models.FloatField(blank=True, null=True)),
                        ('w', models.FloatField(blank=True, null=True)),
                        ('h', models.FloatField(blank=True, null=True)),
                        ('confidence', models.FloatField(blank=True, null=True)),
                        ('accepted_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('accepted_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('accepted_from', models.ForeignKey(blank=True, help_text='The model whose prediction this ground truth was accepted from.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registry.modelversion')),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('model', models.ForeignKey(blank=True, db_index=False, help_text='Set for a prediction; empty for ground truth.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='predictions', to='registry.modelversion')),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annotations', to='data.item')),
                        ('label', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='annotations', to='data.label')),
                    ],
                    options={
                        'db_table': 'registry_annotation',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='LabelItemCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subset', models.CharField(choices=[('train', 'Train'), ('validation', 'Validation'), ('test', 'Test'), ('none', 'None')], max_length=12)),
                        ('items', models.BigIntegerField(default=0)),
                        ('label', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='item_counts', to='data.label')),
                    ],
                    options={
                        'db_table': 'registry_labelitemcount',
                    },
                ),
                migrations.CreateModel(
                    name='SubsetItemCount',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subset', models.CharField(choices=[('train', 'Train'), ('validation', 'Validation'), ('test', 'Test'), ('none', 'None')], max_length=12)),
                        ('items', models.BigIntegerField(default=0)),
                        ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='subset_counts', to='data.dataset')),
                    ],
                    options={
                        'db_table': 'registry_subsetitemcount',
                    },
                ),
                migrations.AddConstraint(
                    model_name='dataset',
                    constraint=models.UniqueConstraint(fields=('project', 'name'), name='dataset_name_unique_in_project'),
                ),
                migrations.AddConstraint(
                    model_name='annotateditemcount',
                    constraint=models.UniqueConstraint(fields=('dataset', 'subset'), name='annotated_count_unique'),
                ),
                migrations.AddIndex(
                    model_name='item',
                    index=models.Index(fields=['dataset', 'id'], name='item_dataset_id'),
                ),
                migrations.AddIndex(
                    model_name='item',
                    index=models.Index(fields=['dataset', 'subset', 'id'], name='item_dataset_subset'),
                ),
                migrations.AddConstraint(
                    model_name='item',
                    constraint=models.UniqueConstraint(fields=('dataset', 'name'), name='item_name_unique_in_dataset'),
                ),
                migrations.AddConstraint(
                    model_name='label',
                    constraint=models.UniqueConstraint(fields=('dataset', 'name'), name='label_name_unique_in_dataset'),
                ),
                migrations.AddIndex(
                    model_name='annotation',
                    index=models.Index(fields=['item', 'model'], name='annotation_item_model'),
                ),
                migrations.AddIndex(
                    model_name='annotation',
                    index=models.Index(fields=['model', 'item'], name='annotation_model_item'),
                ),
                migrations.AddIndex(
                    model_name='annotation',
                    index=models.Index(fields=['label', 'model', 'item'], name='annotation_label_model_item'),
                ),
                migrations.AddConstraint(
                    model_name='labelitemcount',
                    constraint=models.UniqueConstraint(fields=('label', 'subset'), name='label_count_unique'),
                ),
                migrations.AddConstraint(
                    model_name='subsetitemcount',
                    constraint=models.UniqueConstraint(fields=('dataset', 'subset'), name='subset_count_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
