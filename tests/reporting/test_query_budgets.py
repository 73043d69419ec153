"""Report and expenditure lists, a report's detail and its summary cost a constant number of queries,
whatever the number of rows (5 vs 200).

Each request uses a freshly loaded user, so the per-request membership cache starts empty as in production.
"""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from reporting.models import Expenditure, ProgressReport
from tests import factories as f


def _reports(world, count):
    project = world.project
    partners = [f.make_partner(project, f.make_organisation()) for _ in range(count)]
    ProgressReport.objects.bulk_create([ProgressReport(partner=p, period=world.period1) for p in partners])


def _lines(report, count):
    Expenditure.objects.bulk_create([
        Expenditure(report=report, cost_category="travel", description=f"Line {i}", amount=Decimal("10.00"))
        for i in range(count)
    ])


# Report list: session/auth user is forced; 1 memberships + 1 count + 1 page = 3.
REPORT_LIST_QUERIES = 3
# Expenditure list: 1 memberships + 1 count + 1 page of lines alone (a row shows only ids) = 3.
EXPENDITURE_LIST_QUERIES = 3
# Report detail: 1 memberships + 1 report + 4 nested lists = 6.
REPORT_DETAIL_QUERIES = 6


def _fresh(api_client, user):
    return api_client(get_user_model().objects.get(pk=user.pk))


@pytest.mark.parametrize("rows", [5, 200])
def test_report_list_query_budget(world, mu, api_client, django_assert_num_queries, rows):
    _reports(world, rows)
    client = _fresh(api_client, mu)
    with django_assert_num_queries(REPORT_LIST_QUERIES):
        response = client.get("/api/progress-reports/", {"page_size": 500})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_expenditure_list_query_budget(draft, mu, api_client, django_assert_num_queries, rows):
    _lines(draft, rows)
    client = _fresh(api_client, mu)
    with django_assert_num_queries(EXPENDITURE_LIST_QUERIES):
        response = client.get("/api/expenditures/", {"page_size": 500})
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [5, 200])
def test_report_detail_and_summary_query_budget(draft, mu, api_client, django_assert_num_queries, rows):
    _lines(draft, rows)
    client = _fresh(api_client, mu)
    with django_assert_num_queries(REPORT_DETAIL_QUERIES):
        client.get(f"/api/progress-reports/{draft.pk}/")
    # Summary: 1 memberships + 1 report + 1 lines + 1 lump-sum shares (+ rates only if a line is not frozen and
    # not EUR) = 4.
    client = _fresh(api_client, mu)
    with django_assert_num_queries(4):
        response = client.get(f"/api/progress-reports/{draft.pk}/summary/")
    assert response.json()["declared_total"] == str(Decimal("10.00") * rows)
