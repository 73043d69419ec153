"""Every web page's queries as each role, pinned at two sizes of the same data (issue 22).

The synthetic project at scale 1 and at scale 3 (3 × the deliverables, reports, lines and claims; 2 × the
partners and work packages; 4 claims instead of 3) is opened page by page (demo/pages.py) by its five people.
A page's number of queries must not grow with the data, and is pinned: a change to a page's queries shows here,
and its pin is changed with the reason. bench/pages.py times the same pages at scale 1 and 10.
"""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from demo.pages import ROLES, page_urls
from demo.synthetic import seed_synthetic, synthetic_user

SMALL, LARGE = 1, 3
# Queries of one request, by role and page (None: the role may not open the page, 403 or 404 at both sizes).
# Measured on 2026-11-28 after issue 22 made the lists page and the money of many reports read sums: the
# dashboard's money by status (a fixed number of queries whatever the number of lines), the claims pages'
# certificate totals, the tracker's and the matrix's paginator count; the control page's lines brought in from an
# earlier certificate read their evidence in one query (+1: it read each line's apart). Then the claims list,
# payments and the dashboard's money tile read every claim's money as sums per claim and partner in the database
# (claims.selectors.claims_sums: 4 queries where the reports, periods, budget versions, budget lines and lump-sum
# shares were read: -4), the certified reports' money in EUR as their certificates stored it (reporting.selectors.
# report_totals: one query where the verified lines and lump sums were summed in three, with one to find stale rows:
# -1), and the claims list no transfers for readers of the whole claim (they count what the programme paid: -1)
# but the paginator's count of the claims (ten to a page, web.claim_selectors.CLAIMS_PAGE_SIZE: +1).
PINNED = {
    "mu": {
        "dashboard": 38, "overview": 34, "partners": 13, "budget versions": 7, "budget version": 9, "work plan": 8,
        "tracker": 10, "milestones": 7, "risks": 7, "matrix": 11, "report editor": 23, "review": 17,
        "review queue": 5, "control": 13, "control queue": None, "claims": 14, "claim": 19, "payments": 20,
        "people": 8, "plan": 19, "calendar": 9,
    },
    "coordinator": {
        "dashboard": 34, "overview": 34, "partners": 13, "budget versions": 6, "budget version": 9, "work plan": 8,
        "tracker": 10, "milestones": 7, "risks": 6, "matrix": 11, "report editor": 20, "review": None,
        "review queue": None, "control": 13, "control queue": None, "claims": 12, "claim": 19, "payments": 16,
        "people": None, "plan": None, "calendar": 9,
    },
    "reporter": {
        "dashboard": 37, "overview": 34, "partners": 13, "budget versions": 6, "budget version": 9, "work plan": 8,
        "tracker": 10, "milestones": 7, "risks": 6, "matrix": 10, "report editor": 23, "review": None,
        "review queue": None, "control": None, "control queue": None, "claims": 13, "claim": 19, "payments": 15,
        "people": None, "plan": None, "calendar": 9,
    },
    "controller": {
        "dashboard": 15, "overview": 17, "partners": 7, "budget versions": None, "budget version": None,
        "work plan": 8, "tracker": 10, "milestones": 7, "risks": 6, "matrix": 12, "report editor": 21,
        "review": None, "review queue": None, "control": 14, "control queue": 6, "claims": 12, "claim": 18,
        "payments": None, "people": None, "plan": None, "calendar": 9,
    },
    "viewer": {
        "dashboard": 8, "overview": 13, "partners": 7, "budget versions": None, "budget version": None,
        "work plan": 8, "tracker": 10, "milestones": 7, "risks": 6, "matrix": None, "report editor": None,
        "review": None, "review queue": None, "control": None, "control queue": None, "claims": None, "claim": None,
        "payments": None, "people": None, "plan": None, "calendar": 9,
    },
}


def _queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, len(captured)


def test_page_queries_do_not_grow_with_the_data_and_are_pinned(db):
    for scale in (SMALL, LARGE):
        seed_synthetic(scale=scale)
    pages = {scale: page_urls(scale) for scale in (SMALL, LARGE)}
    measured = {}
    for role in ROLES:
        clients = {}
        for scale in (SMALL, LARGE):
            clients[scale] = Client()
            clients[scale].force_login(synthetic_user(scale, role))
        for small, large in zip(pages[SMALL], pages[LARGE], strict=True):
            (status_s, queries_s), (status_l, queries_l) = (_queries(clients[SMALL], small.url),
                                                            _queries(clients[LARGE], large.url))
            assert (status_s == 200) == (status_l == 200), (role, small.name, status_s, status_l)
            if status_s != 200:
                measured.setdefault(role, {})[small.name] = None
                continue
            assert queries_s == queries_l, f"{role} {small.name}: {queries_s} queries at scale 1, {queries_l} at 3"
            measured.setdefault(role, {})[small.name] = queries_s
    changed = [f"{role} {page}: pinned {PINNED[role][page]}, measured {count}"
               for role, pages in measured.items() for page, count in pages.items() if PINNED[role][page] != count]
    assert not changed, "; ".join(changed)
