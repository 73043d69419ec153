"""Today's office flat rate becomes the office option: flat rate on staff costs, or real costs.

- `uses_office_flat_rate` with a rate from 1 to 15 % → `office_option = "flat_staff"`, the rate kept: every
  report computes as before.
- `uses_office_flat_rate` off → `"real"` and no rate (the rate left in the old column meant nothing).
- `uses_office_flat_rate` with a rate of 0 % → `"real"` and no rate: the partner claimed no office costs
  and no report of it changes; from now on it may declare real office costs.
- `uses_office_flat_rate` with a rate above 15 % (or between 0 and 1 %) is refused: the regulation
  allows at most 15 % of staff costs (CPR Art. 54(b)) and the new rules would refuse to compute it,
  while changing it silently would change approved reports. Correct those partners first (the error
  names them), then migrate again.
The audit history's rows are converted the same way, so that it shows what each partner had.
"""

from decimal import Decimal

from django.db import migrations

ON_STAFF_CEILING = Decimal("15.00")


def forwards(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    HistoricalPartner = apps.get_model("partners", "HistoricalPartner")
    refused = Partner.objects.filter(uses_office_flat_rate=True).exclude(office_flat_rate=0).exclude(
        office_flat_rate__gte=1, office_flat_rate__lte=ON_STAFF_CEILING)
    if refused.exists():
        names = ", ".join(f"project {p.project_id} PP{p.number} ({p.office_flat_rate} %)" for p in refused)
        raise RuntimeError(f"Office flat rates outside 1–15 % of staff costs cannot be migrated: {names}. "
                           "Set them to at most 15 % (or switch the partner off the flat rate) and migrate again.")
    for model in (Partner, HistoricalPartner):
        model.objects.filter(uses_office_flat_rate=True, office_flat_rate__gt=0).update(office_option="flat_staff")
        model.objects.filter(uses_office_flat_rate=True, office_flat_rate=0).update(office_option="real",
                                                                                      office_flat_rate=None)
        model.objects.filter(uses_office_flat_rate=False).update(office_option="real", office_flat_rate=None)


def backwards(apps, schema_editor):
    for name in ("Partner", "HistoricalPartner"):
        model = apps.get_model("partners", name)
        model.objects.filter(office_option="flat_staff").update(uses_office_flat_rate=True)
        model.objects.exclude(office_option="flat_staff").update(uses_office_flat_rate=False,
                                                                 office_flat_rate=Decimal("15.00"))


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0002_cost_options_lump_sums_unit_costs"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
