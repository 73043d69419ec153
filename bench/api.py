"""API list pages against the floor of the same rows, in one process and one run.

    .venv/bin/python bench/api.py [--scale 4] [--iterations 30] [--repeats 5]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consortium_bench .venv/bin/python bench/api.py

A throw-away test database is created (in-memory SQLite, or test_<name> on PostgreSQL) and
seeded with `seed_synthetic`; an MU with an API token reads `/api/deliverables/?page_size=100`
and `/api/expenditures/?page_size=100` through django.test.Client. The floor is a plain Django
view defined here, mounted by a urlconf override, that runs the same query (same scoping, same
order, same count for the pagination) and returns `.values()` as a JsonResponse. Each timing is
the median over --repeats of the mean of --iterations requests. Goal: API/floor ≤ 3.
"""

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
# WhiteNoise notes that collectstatic has not run; the API serves no static files.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.urls import include, path  # noqa: E402

from consortium import permissions as perms  # noqa: E402
from consortium.models import Membership, Role  # noqa: E402
from reporting import access as report_access  # noqa: E402
from reporting.models import Expenditure  # noqa: E402
from reporting.serializers import ExpenditureSerializer  # noqa: E402
from workpackages.models import Deliverable  # noqa: E402
from workpackages.serializers import DeliverableSerializer  # noqa: E402

PAGE = 100
GOAL = 3.0
# The floor has no authentication machinery (that is part of what the API costs): it reads as this user.
BENCH_USER = {}


def columns_shown(model, serializer) -> list[str]:
    """The table columns the API's row shows (the floor reads all of them, and nothing it computes): listed
    from the serializer, so that a column added to the API is read by the floor too."""
    return [f.name for f in model._meta.concrete_fields if f.name in serializer.Meta.fields]


def _page(queryset, fields):
    return JsonResponse({"count": queryset.count(), "results": list(queryset.values(*fields)[:PAGE])})


def floor_deliverables(request):
    user = BENCH_USER["user"]
    queryset = perms.scope_to_projects(Deliverable.objects.all(), user)
    return _page(queryset, columns_shown(Deliverable, DeliverableSerializer))


def floor_expenditures(request):
    user = BENCH_USER["user"]
    queryset = report_access.readable(Expenditure.objects.all(), user, partner_field="report__partner")
    return _page(queryset, columns_shown(Expenditure, ExpenditureSerializer))


urlpatterns = [
    path("floor/deliverables/", floor_deliverables),
    path("floor/expenditures/", floor_expenditures),
    path("", include("consortium.urls")),
]


def timed(client, url, headers, iterations):
    started = time.perf_counter()
    for _ in range(iterations):
        response = client.get(url, headers=headers)
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return (time.perf_counter() - started) / iterations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=4, help="seed_synthetic scale (30 deliverables, 350 lines each)")
    parser.add_argument("--iterations", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=5)
    options = parser.parse_args()

    # DEBUG off, as in production: no query log, no debug pages.
    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from django.contrib.auth import get_user_model
        from knox.models import AuthToken

        from demo.synthetic import seed_synthetic

        project = seed_synthetic(scale=options.scale)
        user = get_user_model().objects.create_user("bench-mu", password="bench-password-not-used")
        Membership.objects.create(user=user, project=project, role=Role.MANAGEMENT_UNIT)
        _, token = AuthToken.objects.create(user=user)
        BENCH_USER["user"] = get_user_model().objects.get(pk=user.pk)
        headers = {"Authorization": f"Token {token}"}

        client = Client()
        pairs = [
            ("deliverables", f"/api/deliverables/?page_size={PAGE}", "/floor/deliverables/"),
            ("expenditures", f"/api/expenditures/?page_size={PAGE}", "/floor/expenditures/"),
        ]
        print(f"database: {connection.vendor}; scale {options.scale}: {Deliverable.objects.count()} deliverables, "
              f"{Expenditure.objects.count()} expenditure lines; page of {PAGE}; median of {options.repeats} "
              f"repeats × {options.iterations} requests")
        print(f"{'resource':<14}{'api_ms':>10}{'floor_ms':>10}{'ratio':>8}{'api_q':>7}{'floor_q':>9}  goal ≤ {GOAL}")
        results = []
        with override_settings(ROOT_URLCONF=sys.modules[__name__]):
            for name, api_url, floor_url in pairs:
                api_rows = client.get(api_url, headers=headers).json()["results"]
                floor_rows = client.get(floor_url).json()["results"]
                assert [r["id"] for r in api_rows] == [r["id"] for r in floor_rows], f"{name}: not the same rows"
                # Counted now: the next request's request_started signal empties the query log.
                with CaptureQueriesContext(connection) as captured:
                    client.get(api_url, headers=headers)
                api_queries = len(captured)
                with CaptureQueriesContext(connection) as captured:
                    client.get(floor_url)
                floor_queries = len(captured)
                timed(client, api_url, headers, 5)  # warm-up
                timed(client, floor_url, {}, 5)
                api_runs, floor_runs = [], []
                for _ in range(options.repeats):
                    api_runs.append(timed(client, api_url, headers, options.iterations))
                    floor_runs.append(timed(client, floor_url, {}, options.iterations))
                api_ms, floor_ms = statistics.median(api_runs) * 1000, statistics.median(floor_runs) * 1000
                ratio = api_ms / floor_ms
                results.append(ratio)
                print(f"{name:<14}{api_ms:>10.2f}{floor_ms:>10.2f}{ratio:>8.2f}{api_queries:>7}{floor_queries:>9}  "
                      f"{'pass' if ratio <= GOAL else 'FAIL'}")
        print("result:", "pass" if all(r <= GOAL for r in results) else "FAIL")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
