"""Budget versions: every project with budget lines gets version 1 (approved, from period 1) holding its lines."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def version_one_for_every_budget(apps, schema_editor):
    BudgetLine = apps.get_model("partners", "BudgetLine")
    BudgetVersion = apps.get_model("partners", "BudgetVersion")
    projects = BudgetLine.objects.values_list("partner__project", flat=True).distinct()
    for project_id in set(projects):
        first = BudgetVersion.objects.create(project_id=project_id, number=1, status="approved", applies_from=1,
                                             reason="The approved application budget.")
        BudgetLine.objects.filter(partner__project=project_id).update(budget_version=first)
    if schema_editor.connection.vendor == "postgresql":
        # The rows just updated leave deferred foreign-key checks pending, and PostgreSQL refuses to ALTER a
        # table with pending trigger events: run the checks now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def lines_back_to_one_budget(apps, schema_editor):
    """Backwards: keep only the lines of each project's version 1, as the budget was before versions."""
    BudgetLine = apps.get_model("partners", "BudgetLine")
    BudgetLine.objects.exclude(budget_version__number=1).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('consortium', '0008_budget_versions_and_forecast'),
        ('partners', '0005_partner_currency_and_procurement_register'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='BudgetVersion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('number', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)])),
                ('reason', models.TextField(blank=True, help_text="Why the budget changes (a modification's justification).")),
                ('decision_date', models.DateField(blank=True, help_text='The date of the decision to change it.', null=True)),
                ('applies_from', models.PositiveSmallIntegerField(default=1, help_text='The number of the first reporting period this budget applies to.', validators=[django.core.validators.MinValueValidator(1)])),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('approved', 'Approved')], default='draft', max_length=10)),
                ('needs_programme_approval', models.BooleanField(default=False, editable=False, help_text="Set by the flexibility check: its shifts exceed the programme's threshold.")),
                ('programme_approved', models.BooleanField(default=False, help_text="The programme has approved this modification (needed when it exceeds the programme's flexibility).")),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('approved_at', models.DateTimeField(blank=True, editable=False, null=True)),
            ],
            options={
                'ordering': ['project', 'number'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalBudgetVersion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('number', models.PositiveSmallIntegerField(validators=[django.core.validators.MinValueValidator(1)])),
                ('reason', models.TextField(blank=True, help_text="Why the budget changes (a modification's justification).")),
                ('decision_date', models.DateField(blank=True, help_text='The date of the decision to change it.', null=True)),
                ('applies_from', models.PositiveSmallIntegerField(default=1, help_text='The number of the first reporting period this budget applies to.', validators=[django.core.validators.MinValueValidator(1)])),
                ('status', models.CharField(choices=[('draft', 'Draft'), ('approved', 'Approved')], default='draft', max_length=10)),
                ('needs_programme_approval', models.BooleanField(default=False, editable=False, help_text="Set by the flexibility check: its shifts exceed the programme's threshold.")),
                ('programme_approved', models.BooleanField(default=False, help_text="The programme has approved this modification (needed when it exceeds the programme's flexibility).")),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('approved_at', models.DateTimeField(blank=True, editable=False, null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical budget version',
                'verbose_name_plural': 'historical budget versions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RemoveConstraint(
            model_name='budgetline',
            name='budget_line_unique_per_period',
        ),
        migrations.RemoveConstraint(
            model_name='budgetline',
            name='budget_line_unique_whole_project',
        ),
        migrations.AddField(
            model_name='budgetversion',
            name='approved_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='budgetversion',
            name='created_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='budgetversion',
            name='project',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='budget_versions', to='consortium.project'),
        ),
        migrations.AddField(
            model_name='budgetline',
            name='budget_version',
            field=models.ForeignKey(blank=True, help_text='The budget version this line belongs to.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='partners.budgetversion'),
        ),
        migrations.AddField(
            model_name='historicalbudgetline',
            name='budget_version',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='The budget version this line belongs to.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='partners.budgetversion'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.UniqueConstraint(fields=('budget_version', 'partner', 'cost_category', 'period'), name='budget_line_unique_per_period'),
        ),
        migrations.AddConstraint(
            model_name='budgetline',
            constraint=models.UniqueConstraint(condition=models.Q(('period__isnull', True)), fields=('budget_version', 'partner', 'cost_category'), name='budget_line_unique_whole_project'),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='approved_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='created_by',
            field=models.ForeignKey(blank=True, db_constraint=False, editable=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalbudgetversion',
            name='project',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='consortium.project'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.UniqueConstraint(fields=('project', 'number'), name='budget_version_number_unique'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.UniqueConstraint(condition=models.Q(('status', 'draft')), fields=('project',), name='budget_version_one_draft'),
        ),
        migrations.AddConstraint(
            model_name='budgetversion',
            constraint=models.CheckConstraint(condition=models.Q(('number__gte', 1), ('applies_from__gte', 1)), name='budget_version_numbers_positive'),
        ),
        migrations.RunPython(version_one_for_every_budget, lines_back_to_one_budget),
        migrations.AlterField(
            model_name='budgetline',
            name='budget_version',
            field=models.ForeignKey(blank=True, help_text='The budget version this line belongs to.', on_delete=django.db.models.deletion.CASCADE, related_name='lines', to='partners.budgetversion'),
        ),
    ]
