"""CertificateFigures gains the verified total in EUR (what the overview and dashboard add up).

The stored figures are derived from each certificate and recomputed by reporting.selectors.certificate_totals
whenever a row is missing: the rows stored so far are removed rather than given a made-up EUR total, and the
next reader stores them again with it.
"""

from django.db import migrations, models


def forget_stored_figures(apps, schema_editor):
    apps.get_model("reporting", "CertificateFigures").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0009_certificate_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificatefigures",
            name="verified_eur",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=14,
                help_text="The verified total in EUR: the same as verified for a partner reporting in EUR, else its "
                          "lines converted at their frozen rates with the flat rates recomputed on them."),
            preserve_default=False,
        ),
        # After the column exists: a delete before a schema change in one transaction can hold PostgreSQL's
        # pending trigger events.
        migrations.RunPython(forget_stored_figures, migrations.RunPython.noop),
    ]
