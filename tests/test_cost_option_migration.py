"""partners.0003: the former office flat rate becomes the office option without changing a figure."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The programme's later fields (consortium.0006) go back too: the old models' rows would not fill them.
BEFORE = [("partners", "0002_cost_options_lump_sums_unit_costs"), ("consortium", "0005_merge_20261128_1203")]
AFTER = [("partners", "0004_drop_uses_office_flat_rate")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_partners(transactional_db):
    """Partners as the old schema had them: (uses_office_flat_rate, office_flat_rate) by partner number."""
    apps = migrate(BEFORE)
    Programme, Project = apps.get_model("consortium", "Programme"), apps.get_model("consortium", "Project")
    Organisation, Partner = apps.get_model("partners", "Organisation"), apps.get_model("partners", "Partner")
    project = Project.objects.create(programme=Programme.objects.create(name="P", start_year=2021, end_year=2027),
                                     acronym="OLD", title="Old", start_date="2025-01-01", end_date="2025-12-31")

    def make(number, uses, rate):
        organisation = Organisation.objects.create(name=f"Org {number}", short_name=f"O{number}", country="DK",
                                                   legal_status="public")
        Partner.objects.create(project=project, organisation=organisation, number=number, cofinancing_rate=60,
                               uses_office_flat_rate=uses, office_flat_rate=Decimal(rate))
    yield make
    # Back to the current schema for the tests that follow (a refused partner would stop it again).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM partners_partner")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_office_flat_rates_become_options_and_real_costs(old_partners):
    old_partners(1, True, "15.00")
    old_partners(2, True, "12.50")
    old_partners(3, False, "15.00")
    old_partners(4, True, "0.00")
    apps = migrate(AFTER)
    Partner = apps.get_model("partners", "Partner")
    assert list(Partner.objects.order_by("number").values_list("number", "office_option", "office_flat_rate")) == [
        (1, "flat_staff", Decimal("15.00")), (2, "flat_staff", Decimal("12.50")), (3, "real", None), (4, "real", None)]


def test_a_rate_above_the_regulation_stops_the_migration_naming_the_partner(old_partners):
    old_partners(1, True, "15.00")
    old_partners(2, True, "16.00")
    with pytest.raises(RuntimeError, match=r"PP2 \(16.00 %\)"):
        migrate(AFTER)
