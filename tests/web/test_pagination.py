"""The long lists of the web in pages: the deliverable tracker by deliverables, the report matrix by partners and a
window of periods. The page links keep the filters; a page number out of range is Paginator.get_page's (the last
page; not a number: the first)."""

from datetime import date, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from consortium.models import add_months, last_of_month, local_today
from tests import factories as f
from tests.web.report_helpers import report_url
from web import report_selectors, selectors
from workpackages.models import Deliverable


def tracker(world):
    return reverse("web:deliverables", kwargs={"project_id": world.project.pk})


@pytest.fixture
def small_pages(monkeypatch):
    """Pages of 3 deliverables, so that a handful of them makes several pages."""
    monkeypatch.setattr(selectors, "TRACKER_PAGE_SIZE", 3)


@pytest.fixture
def seven(world):
    """Seven deliverables of WP1 due a month apart (D1.01 first), and one of WP2."""
    today = local_today()
    made = [f.make_deliverable(world.wp1, code=f"D1.{n:02d}", due_date=today + timedelta(days=30 * n))
            for n in range(1, 8)]
    f.make_deliverable(world.wp2, code="D2.01", due_date=today + timedelta(days=45))
    return made


def codes(response) -> list[str]:
    return [d.code for d in response.context["deliverables"]]


def links(html: str) -> list[dict]:
    """The query strings of the tracker's page links, parsed."""
    nav = html.split('class="pagination"')[1].split("</nav>")[0]
    return [parse_qs(urlsplit(href.replace("&amp;", "&")).query) for href in
            (part.split('"')[0] for part in nav.split('href="')[1:])]


def test_page_two_shows_the_next_rows(login, mu, world, seven, small_pages):
    client = login(mu)
    first = client.get(tracker(world), {"work_package": world.wp1.pk})
    second = client.get(tracker(world), {"work_package": world.wp1.pk, "page": 2})
    assert codes(first) == ["D1.01", "D1.02", "D1.03"]
    assert codes(second) == ["D1.04", "D1.05", "D1.06"]
    assert "Showing 4–6 of 7" in second.content.decode()


def test_page_links_keep_the_filters(login, mu, world, seven, small_pages):
    html = login(mu).get(tracker(world), {"work_package": world.wp1.pk, "status": "planned", "page": 2}) \
        .content.decode()
    found = links(html)
    assert found, "a list of 7 in pages of 3 has page links"
    for query in found:
        assert query["work_package"] == [str(world.wp1.pk)] and query["status"] == ["planned"]
    assert {query["page"][0] for query in found} == {"1", "3"}  # previous, the numbers around page 2, next


@pytest.mark.parametrize(("asked", "shown"), [("99", 3), ("abc", 1), ("-1", 3), ("", 1)])
def test_a_page_out_of_range_shows_the_last_page_and_not_a_number_the_first(login, mu, world, seven, small_pages,
                                                                            asked, shown):
    response = login(mu).get(tracker(world), {"work_package": world.wp1.pk, "page": asked})
    assert response.status_code == 200
    assert response.context["deliverables"].number == shown


def test_one_page_has_no_page_links(login, mu, world, seven):
    html = login(mu).get(tracker(world)).content.decode()
    assert 'class="pagination"' not in html and "Showing 1–8 of 8" in html


def test_the_status_change_without_javascript_returns_to_the_same_page_and_filters(login, mu, world, seven,
                                                                                  small_pages):
    client = login(mu)
    html = client.get(tracker(world), {"work_package": world.wp1.pk, "page": 2}).content.decode()
    assert f'name="list_query" value="work_package={world.wp1.pk}&amp;page=2"' in html
    target = seven[3]
    url = reverse("web:deliverable-status", kwargs={"project_id": world.project.pk, "deliverable_id": target.pk})
    response = client.post(url, {"status": "in_progress", "version": 1,
                                 "list_query": f"work_package={world.wp1.pk}&page=2"})
    assert response.url == f"{tracker(world)}?work_package={world.wp1.pk}&page=2#deliverable-{target.pk}"
    target.refresh_from_db()
    assert target.status == Deliverable.Status.IN_PROGRESS


def test_the_htmx_row_keeps_its_list_query_for_the_next_change(login, mu, world, seven, small_pages):
    target = seven[0]
    url = reverse("web:deliverable-status", kwargs={"project_id": world.project.pk, "deliverable_id": target.pk})
    html = login(mu).post(url, {"status": "in_progress", "version": 1, "list_query": "page=1"},
                          HTTP_HX_REQUEST="true").content.decode()
    assert 'name="list_query" value="page=1"' in html


def test_a_list_query_is_only_ever_a_query_string(login, mu, world, seven):
    """The redirect stays on the tracker whatever is sent as its query (no way to send the user elsewhere)."""
    target = seven[0]
    url = reverse("web:deliverable-status", kwargs={"project_id": world.project.pk, "deliverable_id": target.pk})
    response = login(mu).post(url, {"status": "in_progress", "version": 1,
                                    "list_query": "#x\r\nLocation: https://evil.example/?a=1"})
    assert response.url.startswith(tracker(world) + "?")
    assert "\n" not in response.url and "evil.example/" not in response.url.split("?")[0]


# --- the report matrix --------------------------------------------------------------------------------------------

def matrix(world):
    return reverse("web:reports", kwargs={"project_id": world.project.pk})


@pytest.fixture
def nine_periods(world):
    """Periods 3–9 after the world's two (half-years from 2027: not started yet)."""
    for number in range(3, 10):
        start = date(2027 + (number - 3) // 2, 1 if number % 2 else 7, 1)
        end = date(start.year, 6, 30) if start.month == 1 else date(start.year, 12, 31)
        f.make_period(world.project, number, start, end)


def numbers(response) -> list[int]:
    return [p.number for p in response.context["periods"]]


def test_the_matrix_shows_a_window_of_periods_up_to_the_current_one_and_at_least_six(login, mu, world,
                                                                                      nine_periods):
    response = login(mu).get(matrix(world))
    assert numbers(response) == [1, 2, 3, 4, 5, 6]
    assert (response.context["matrix"].earlier, response.context["matrix"].later) == (None, 9)
    assert "Periods P1–P6 of 9" in response.content.decode()


@pytest.mark.parametrize(("asked", "shown"), [("9", [4, 5, 6, 7, 8, 9]), ("99", [4, 5, 6, 7, 8, 9]),
                                              ("2", [1, 2, 3, 4, 5, 6]), ("abc", [1, 2, 3, 4, 5, 6])])
def test_the_period_window_is_in_the_url_and_kept_within_the_periods(login, mu, world, nine_periods, asked, shown):
    response = login(mu).get(matrix(world), {"until": asked})
    assert response.status_code == 200 and numbers(response) == shown


def test_the_window_before_the_last_one_is_a_full_one(login, mu, world, nine_periods):
    response = login(mu).get(matrix(world), {"until": "9"})
    assert response.context["matrix"].earlier == 3  # shown as P1–P6 (never fewer than six periods)
    assert response.context["matrix"].later is None


def test_a_short_project_shows_all_its_periods_without_window_links(login, mu, world):
    response = login(mu).get(matrix(world))
    assert numbers(response) == [1, 2] and 'class="pagination period-window"' not in response.content.decode()


def test_the_matrix_pages_its_partners_and_the_links_keep_the_window(login, mu, world, nine_periods, monkeypatch):
    monkeypatch.setattr(selectors, "MATRIX_PARTNERS_PER_PAGE", 2)
    client = login(mu)
    first = client.get(matrix(world), {"until": "9"})
    assert [row.partner for row in first.context["rows"]] == [world.partner_a, world.partner_b]
    html = first.content.decode()
    assert "Showing 1–2 of 3" in html
    nav = html.split('aria-label="Pages of the list"')[1].split("</nav>")[0]
    assert "until=9&amp;page=2" in nav
    second = client.get(matrix(world), {"until": "9", "page": "2"})
    assert [row.partner for row in second.context["rows"]] == [world.partner_no]
    window = second.content.decode().split('class="pagination period-window"')[1].split("</nav>")[0]
    assert "until=3&amp;page=2" in window  # the earlier periods of the same partners
    assert [row.partner for row in client.get(matrix(world), {"page": "7"}).context["rows"]] == [world.partner_no]


def test_a_reporter_has_its_own_row_and_no_page_links(login, reporter_a, world, nine_periods, monkeypatch):
    monkeypatch.setattr(selectors, "MATRIX_PARTNERS_PER_PAGE", 1)
    response = login(reporter_a).get(matrix(world))
    assert [row.partner for row in response.context["rows"]] == [world.partner_a]
    assert 'aria-label="Pages of the list"' not in response.content.decode()


def test_cells_of_a_window_are_its_periods_reports(login, mu, world, nine_periods):
    from reporting.models import ProgressReport

    report = ProgressReport.objects.create(partner=world.partner_b, period=world.period2, status="submitted")
    rows = login(mu).get(matrix(world)).context["rows"]
    assert rows[1].cells[1].report == report
    assert rows[1].cells[2] is None  # period 3 has not started: no cell to fill


# Periods of the project, a COUNT and a page of partners, the window's started periods, their reports (+ one for the
# progress of reports in control, when there are any: none here), + the page's session, user and membership reads:
# the same for 3 partners × 2 periods as for 25 × 9 (one page of partners, one window of periods). Before the pages:
# one query fewer (no COUNT), and every partner and period.
MATRIX_QUERIES = 10


@pytest.mark.parametrize("bigger", [False, True])
def test_matrix_query_count_does_not_grow_with_partners_or_periods(login, mu, world, bigger,
                                                                   django_assert_num_queries):
    if bigger:
        for number in range(4, 26):
            f.make_partner(world.project, number=number)
        # Seven more started periods, six months each, before the world's two (PostgreSQL refuses overlapping ones).
        for number in range(3, 10):
            start = add_months(date(2021, 1, 1), 6 * (number - 3))
            f.make_period(world.project, number, start, last_of_month(add_months(start, 5)))
    client = login(mu)
    with django_assert_num_queries(MATRIX_QUERIES):
        response = client.get(matrix(world))
    assert len(response.context["rows"]) == (20 if bigger else 3)


# --- a report's expenditure lines ----------------------------------------------------------------------------------

@pytest.fixture
def line_pages(monkeypatch):
    monkeypatch.setattr(report_selectors, "LINES_PAGE_SIZE", 2)


def add_lines(report, count: int, category: str = "travel") -> list:
    from reporting.models import Expenditure

    return [Expenditure.objects.create(report=report, cost_category=category, description=f"Extra {n}",
                                       amount=Decimal("10.00"), currency="EUR") for n in range(1, count + 1)]


def test_the_report_editor_pages_its_lines_and_keeps_the_whole_reports_totals(login, reporter_a, draft,
                                                                              line_pages):
    lines = add_lines(draft, 4)
    client = login(reporter_a)
    first = client.get(report_url(draft))
    second = client.get(report_url(draft), {"page": 2})
    assert [line.pk for line in second.context["lines"]] == [lines[2].pk, lines[3].pk]
    assert "<td>3</td>" in second.content.decode()  # numbered as in the whole report
    assert second.context["summary"] == first.context["summary"]  # the whole report's, whichever page
    html = second.content.decode()
    assert "Showing 3–4 of 4" in html
    assert f'id="line-{lines[2].pk}"' in html and f'id="line-{lines[0].pk}"' not in html


def test_the_review_pages_its_lines(login, mu, world, reporter_a, draft, line_pages):
    from tests.web.report_helpers import submit_ready

    add_lines(draft, 3)
    submitted = submit_ready(world, draft, reporter_a)
    response = login(mu).get(report_url(submitted, "web:review"), {"page": "2"})
    assert response.context["lines"].number == 2 and len(response.context["lines"]) == 1
    assert "Showing 3–3 of 3" in response.content.decode()


def test_the_control_page_pages_the_filtered_lines_and_the_links_keep_the_filters(login, controller_a, in_control,
                                                                                  line_pages):
    add_lines(in_control, 3)  # with the fixture's travel line: four travel lines
    add_lines(in_control, 1, category="external")
    client = login(controller_a)
    url = report_url(in_control, "web:control")
    response = client.get(url, {"category": "travel", "page": "2"})
    assert [row.category for row in response.context["rows"]] == ["travel", "travel"]
    assert response.context["rows"].paginator.count == 4
    html = response.content.decode()
    nav = html.split('aria-label="Pages of the list"')[1].split("</nav>")[0]
    assert "category=travel&amp;page=1" in nav
    assert 'name="filters" value="category=travel&amp;page=2"' in html  # an act returns to this page


def test_a_problem_links_to_its_line_on_the_page_that_shows_it():
    page = report_selectors.lines_page(list(range(120)), "1")
    anchors = [f"line-{n}" for n in range(120)]
    query = QueryDict("category=travel&page=1")
    assert report_selectors.on_its_page("#line-3", anchors, page, "/r/", query) == "#line-3"
    assert report_selectors.on_its_page("#line-51", anchors, page, "/r/", query) == \
        "/r/?category=travel&page=2#line-51"
    assert report_selectors.on_its_page("#report-form", anchors, page, "/r/", query) == "#report-form"
