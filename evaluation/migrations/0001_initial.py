"""The evaluation app's models, moved here from the apps that held them, on the tables they had."""

import django.db.models.deletion
import django.db.models.functions.comparison
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('data', '0001_initial'),
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
                    name='Evaluation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subset', models.CharField(blank=True, help_text='train / validation / test / none; empty: every item', max_length=12)),
                        ('name', models.CharField(max_length=100)),
                        ('kind', models.CharField(choices=[('class', 'Classification'), ('box', 'Boxes')], max_length=8)),
                        ('mode', models.CharField(choices=[('online', "Run by Modelyard (the package's adapter)"), ('offline', 'Predictions uploaded')], max_length=8)),
                        ('status', models.CharField(choices=[('created', 'Accepting predictions'), ('queued', 'Queued'), ('running', 'Running'), ('succeeded', 'Done'), ('failed', 'Failed')], default='created', max_length=12)),
                        ('iou_threshold', models.FloatField(default=0.5)),
                        ('confidence_threshold', models.FloatField(default=0.0)),
                        ('summary', models.JSONField(blank=True, default=dict)),
                        ('per_label', models.JSONField(blank=True, default=dict)),
                        ('confusion', models.JSONField(blank=True, default=dict)),
                        ('pr_curves', models.JSONField(blank=True, default=dict)),
                        ('item_count', models.PositiveIntegerField(default=0)),
                        ('prediction_count', models.PositiveIntegerField(default=0)),
                        ('ground_truth_count', models.PositiveIntegerField(default=0)),
                        ('error', models.TextField(blank=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('dataset', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='data.dataset')),
                        ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='evaluations', to='jobs.job')),
                        ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='registry.modelversion')),
                        ('project', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluations', to='registry.project')),
                    ],
                    options={
                        'db_table': 'comparison_evaluation',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='EvalPrediction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('confidence', models.FloatField()),
                        ('x', models.FloatField(blank=True, null=True)),
                        ('y', models.FloatField(blank=True, null=True)),
                        ('w', models.FloatField(blank=True, null=True)),
                        ('h', models.FloatField(blank=True, null=True)),
                        ('match_50', models.BigIntegerField(blank=True, null=True)),
                        ('match_55', models.BigIntegerField(blank=True, null=True)),
                        ('match_60', models.BigIntegerField(blank=True, null=True)),
                        ('match_65', models.BigIntegerField(blank=True, null=True)),
                        ('match_70', models.BigIntegerField(blank=True, null=True)),
                        ('match_75', models.BigIntegerField(blank=True, null=True)),
                        ('match_80', models.BigIntegerField(blank=True, null=True)),
                        ('match_85', models.BigIntegerField(blank=True, null=True)),
                        ('match_90', models.BigIntegerField(blank=True, null=True)),
                        ('match_95', models.BigIntegerField(blank=True, null=True)),
                        ('iou_same', models.FloatField(default=0)),
                        ('iou_any', models.FloatField(default=0)),
                        ('best_gt_any', models.BigIntegerField(blank=True, null=True)),
                        ('item', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='data.item')),
                        ('label', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='data.label')),
                        ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='predictions', to='evaluation.evaluation')),
                    ],
                    options={
                        'db_table': 'comparison_evalprediction',
                    },
                ),
                migrations.CreateModel(
                    name='EvalGroundTruth',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('annotation_id', models.BigIntegerField(blank=True, null=True)),
                        ('x', models.FloatField(blank=True, null=True)),
                        ('y', models.FloatField(blank=True, null=True)),
                        ('w', models.FloatField(blank=True, null=True)),
                        ('h', models.FloatField(blank=True, null=True)),
                        ('conf_50', models.FloatField(blank=True, null=True)),
                        ('conf_55', models.FloatField(blank=True, null=True)),
                        ('conf_60', models.FloatField(blank=True, null=True)),
                        ('conf_65', models.FloatField(blank=True, null=True)),
                        ('conf_70', models.FloatField(blank=True, null=True)),
                        ('conf_75', models.FloatField(blank=True, null=True)),
                        ('conf_80', models.FloatField(blank=True, null=True)),
                        ('conf_85', models.FloatField(blank=True, null=True)),
                        ('conf_90', models.FloatField(blank=True, null=True)),
                        ('conf_95', models.FloatField(blank=True, null=True)),
                        ('best_iou_any', models.FloatField(default=0)),
                        ('best_label_any', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='data.label')),
                        ('item', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='data.item')),
                        ('label', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='data.label')),
                        ('evaluation', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='ground_truths', to='evaluation.evaluation')),
                    ],
                    options={
                        'db_table': 'comparison_evalgroundtruth',
                    },
                ),
                migrations.CreateModel(
                    name='EvalCountGrid',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('column', models.CharField(max_length=12)),
                        ('counts', models.JSONField(default=dict)),
                        ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='count_grids', to='evaluation.evaluation')),
                    ],
                    options={
                        'db_table': 'comparison_evalcountgrid',
                    },
                ),
                migrations.CreateModel(
                    name='ReviewMark',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('verdict', models.CharField(choices=[('gt_wrong', 'Ground truth is wrong'), ('confirmed', 'Confirmed error'), ('ignore', 'Ignore')], max_length=12)),
                        ('note', models.TextField(blank=True, max_length=2000)),
                        ('marked_at', models.DateTimeField(auto_now=True)),
                        ('evaluation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='review_marks', to='evaluation.evaluation')),
                        ('ground_truth', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='review_marks', to='evaluation.evalgroundtruth')),
                        ('marked_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('prediction', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='review_marks', to='evaluation.evalprediction')),
                    ],
                    options={
                        'db_table': 'comparison_reviewmark',
                    },
                ),
                migrations.AddIndex(
                    model_name='evaluation',
                    index=models.Index(fields=['project', '-created_at'], name='evaluation_project'),
                ),
                migrations.AddConstraint(
                    model_name='evaluation',
                    constraint=models.UniqueConstraint(fields=('model', 'name'), name='evaluation_name_unique_on_model'),
                ),
                migrations.AddIndex(
                    model_name='evalprediction',
                    index=models.Index(fields=['evaluation', 'confidence'], name='evalpred_conf'),
                ),
                migrations.AddIndex(
                    model_name='evalprediction',
                    index=models.Index(fields=['evaluation', 'label', 'confidence'], name='evalpred_label_conf'),
                ),
                migrations.AddIndex(
                    model_name='evalprediction',
                    index=models.Index(fields=['evaluation', 'item'], name='evalpred_item'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_50'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_50'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_55'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_55'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_60'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_60'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_65'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_65'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_70'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_70'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_75'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_75'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_80'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_80'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_85'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_85'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_90'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_90'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(models.F('evaluation'), models.OrderBy(django.db.models.functions.comparison.Coalesce(models.F('conf_95'), models.Value(-1.0)), descending=True), models.OrderBy(models.F('id'), descending=True), name='evalgt_missed_95'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(fields=['evaluation', 'label'], name='evalgt_label'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(fields=['evaluation', 'item'], name='evalgt_item'),
                ),
                migrations.AddIndex(
                    model_name='evalgroundtruth',
                    index=models.Index(fields=['evaluation', 'annotation_id'], name='evalgt_annotation'),
                ),
                migrations.AddConstraint(
                    model_name='evalcountgrid',
                    constraint=models.UniqueConstraint(fields=('evaluation', 'column'), name='evalcountgrid_one_per_column'),
                ),
                migrations.AddIndex(
                    model_name='reviewmark',
                    index=models.Index(fields=['evaluation', 'verdict'], name='reviewmark_verdict'),
                ),
                migrations.AddConstraint(
                    model_name='reviewmark',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('ground_truth__isnull', True), ('prediction__isnull', False)), models.Q(('ground_truth__isnull', False), ('prediction__isnull', True)), _connector='OR'), name='reviewmark_one_target'),
                ),
                migrations.AddConstraint(
                    model_name='reviewmark',
                    constraint=models.UniqueConstraint(condition=models.Q(('prediction__isnull', False)), fields=('prediction',), name='reviewmark_one_per_prediction'),
                ),
                migrations.AddConstraint(
                    model_name='reviewmark',
                    constraint=models.UniqueConstraint(condition=models.Q(('ground_truth__isnull', False)), fields=('ground_truth',), name='reviewmark_one_per_ground_truth'),
                ),
            ],
            database_operations=[],
        ),
    ]
