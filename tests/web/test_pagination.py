"""The long lists of the web in pages: the deliverable tracker by deliverables, the report matrix by partners and a
window of periods. The page links keep the filters; a page number out of range is Paginator.get_page's (the last
page; not a number: the first)."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from consortium.models import local_today
from tests import factories as f
from web import selectors
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
