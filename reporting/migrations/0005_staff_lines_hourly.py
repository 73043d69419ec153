"""Every staff line so far was costed by the hour (annual gross cost ÷ 1,720 × hours): say so on it."""

from django.db import migrations


def forwards(apps, schema_editor):
    for name in ("Expenditure", "HistoricalExpenditure"):
        apps.get_model("reporting", name).objects.filter(cost_category="staff", staff_method="").update(
            staff_method="hourly")


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0004_cost_options_lines_lump_sum_claims"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
