"""Every list endpoint of the core, partners and the work plan runs the same number of queries for 5 rows
and for 200 (reporting's lists: tests/reporting/test_query_budgets.py).

Each budget names its queries. Every request starts with a fresh user object, as a real request
does, so the membership lookup (cached per request by consortium.permissions) is counted once.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from consortium.models import Membership, ReportingPeriod, Role
from partners.models import (
    BudgetLine,
    Contact,
    LumpSum,
    LumpSumShare,
    Organisation,
    Partner,
    UnitCost,
    initial_budget_version,
)
from tests import factories as f
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, Risk, WorkPackage


def _organisations(world, start, stop):
    return [Organisation(name=f"Org {i}", short_name=f"O{i}", country="SE", legal_status="public")
            for i in range(start, stop)]


def _rows(world, start: int, stop: int) -> dict:
    """Rows number start..stop-1 of every resource, all in project A."""
    project, wps = world.project, [world.wp1, world.wp2]
    orgs = Organisation.objects.bulk_create(_organisations(world, start, stop))
    partners = Partner.objects.bulk_create(
        Partner(project=project, organisation=org, number=100 + i, cofinancing_rate=Decimal("60"))
        for i, org in zip(range(start, stop), orgs, strict=True)
    )
    activities = Activity.objects.bulk_create(
        Activity(work_package=world.wp2, number=100 + i, title=f"A{i}", start_month=1, end_month=2)
        for i in range(start, stop)
    )
    for activity in activities:
        activity.partners.set([world.partner_b, world.partner_no])
    users = get_user_model().objects.bulk_create(get_user_model()(username=f"member{i}") for i in range(start, stop))
    Membership.objects.bulk_create(Membership(user=u, project=project, role=Role.VIEWER) for u in users)
    last = ReportingPeriod.objects.filter(project=project).order_by("number").last()
    for i in range(start, stop):
        # Periods of one day, so 200 of them fit (the tiling rule is not this test's subject).
        day = last.end_date + timedelta(days=1 + i)
        ReportingPeriod.objects.bulk_create([ReportingPeriod(project=project, number=100 + i, start_date=day,
                                                             end_date=day, report_due_date=day)])
    first = initial_budget_version(project)
    BudgetLine.objects.bulk_create(BudgetLine(budget_version=first, partner=p, cost_category="staff",
                                              amount=Decimal("10")) for p in partners)
    Contact.objects.bulk_create(
        Contact(project=project, organisation=org, name=f"C{i}", email=f"c{i}@example.org", kind="partner_contact")
        for i, org in zip(range(start, stop), orgs, strict=True)
    )
    WorkPackage.objects.bulk_create(WorkPackage(project=project, number=100 + i, title=f"WP{i}",
                                                lead_partner=world.partner_a, start_month=1, end_month=2)
                                    for i in range(start, stop))
    Deliverable.objects.bulk_create(Deliverable(project=project, work_package=wps[i % 2], code=f"D{i}", title="D",
                                                lead_partner=world.partner_a, original_due_date=date(2025, 3, 31),
                                                due_date=date(2025, 3, 31)) for i in range(start, stop))
    Milestone.objects.bulk_create(Milestone(project=project, work_package=wps[i % 2], code=f"MS{i}", title="M",
                                            due_date=date(2025, 3, 31)) for i in range(start, stop))
    Indicator.objects.bulk_create(Indicator(project=project, code=f"RCO{i}", name="I", unit="u", target=1)
                                  for i in range(start, stop))
    Effort.objects.bulk_create(Effort(partner=p, work_package=world.wp1, person_months=Decimal("1")) for p in partners)
    UnitCost.objects.bulk_create(UnitCost(project=project, name=f"U{i}", unit="day", price_per_unit=Decimal("9"),
                                          cost_category="travel") for i in range(start, stop))
    lump_sums = LumpSum.objects.bulk_create(LumpSum(project=project, name=f"L{i}", amount=Decimal("20"),
                                                    period=world.period1) for i in range(start, stop))
    LumpSumShare.objects.bulk_create(LumpSumShare(lump_sum=lump_sum, partner=partner, amount=Decimal("10"))
                                     for lump_sum in lump_sums for partner in (world.partner_a, world.partner_b))
    Risk.objects.bulk_create(Risk(project=project, title=f"R{i}", owner=partners[i - start])
                             for i in range(start, stop))
    f.make_project(f.make_programme())  # a programme per batch, in a project nobody here is in


# path -> queries, each named. "members" is the user's memberships (permissions cache), "count"
# the paginator's COUNT, "rows" the page with its select_related joins.
BUDGETS = {
    "/api/programmes/": 4,  # members, count, rows, the programmes in which the user reads money
    "/api/projects/": 3,  # members, count, rows
    "/api/organisations/": 3,  # members, count, rows (visibility is a subquery)
    "/api/partners/": 3,  # members, count, rows + organisation
    "/api/contacts/": 3,  # members, count, rows
    "/api/memberships/": 4,  # members, count, rows + user, the controllers' controlled partners (prefetched)
    "/api/users/": 3,  # members, count, rows
    "/api/reporting-periods/": 3,  # members, count, rows
    "/api/budget-lines/": 3,  # members, count, rows + partner
    "/api/work-packages/": 3,  # members, count, rows
    "/api/activities/": 4,  # members, count, rows + work package, partners (one prefetch)
    "/api/deliverables/": 3,  # members, count, rows + project (due_month)
    "/api/milestones/": 3,  # members, count, rows + project (due_month)
    "/api/indicators/": 3,  # members, count, rows
    "/api/effort/": 3,  # members, count, rows + work package
    "/api/unit-costs/": 3,  # members, count, rows
    "/api/risks/": 3,  # members, count, rows
    "/api/lump-sums/": 5,  # members, count, rows + period, shares, their claims (two prefetches)
}


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(type(user).objects.get(pk=user.pk))
    return client


@pytest.mark.parametrize("path", list(BUDGETS))
def test_list_query_count_does_not_grow_with_rows(path, world, mu, django_assert_num_queries):
    _rows(world, 0, 5)
    client = _client(mu)
    with django_assert_num_queries(BUDGETS[path]):
        small = client.get(path, {"page_size": 500})
    assert small.status_code == 200
    _rows(world, 5, 200)
    client = _client(mu)
    with django_assert_num_queries(BUDGETS[path]):
        large = client.get(path, {"page_size": 500})
    # Projects and programmes do not grow with a project's rows; everything else has 195 more.
    assert large.json()["count"] in (small.json()["count"], small.json()["count"] + 195)
    assert len(large.json()["results"]) == large.json()["count"]
