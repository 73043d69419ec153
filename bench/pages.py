"""Every web page as each role, at two sizes of the same data, in one process and one run.

    .venv/bin/python bench/pages.py [--scales 1 10] [--iterations 3] [--repeats 5] [--roles mu reporter]
                                    [--pages tracker matrix]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/consortium_bench .venv/bin/python bench/pages.py

A throw-away test database (in-memory SQLite, or test_<name> on PostgreSQL) is seeded with `seed_synthetic` at
both scales (SYNTH1 and SYNTH10 side by side: 10 × the deliverables, reports, lines and claims, 2 × the
partners). Each synthetic project has its own MU, coordinator, reporter, controller and viewer (demo/synthetic.py);
the page list is demo/pages.py. For every role and page, the person of each scale opens that scale's page through
django.test.Client (signed in, DEBUG off): the queries of one request, then the median over --repeats of the mean
of --iterations requests, the two scales interleaved so that the machine's load falls on both alike. A page the
role may not open (403/404 at both scales) is listed once as such.

Goal per page: the same queries at both scales and time(largest) ÷ time(smallest) ≤ 2.
"""

import argparse
import logging
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")
# WhiteNoise notes that collectstatic has not run; the pages' static files are not fetched.
warnings.filterwarnings("ignore", "No directory at", UserWarning)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

GOAL = 2.0


def timed(client, url: str, iterations: int) -> float:
    started = time.perf_counter()
    for _ in range(iterations):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return (time.perf_counter() - started) / iterations


def queries(client, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        status = client.get(url).status_code
    return status, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs=2, default=[1, 10], metavar=("SMALL", "LARGE"))
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--roles", nargs="*", help="only these roles (mu coordinator reporter controller viewer)")
    parser.add_argument("--pages", nargs="*", help="only these pages, by name (as printed)")
    options = parser.parse_args()

    setup_test_environment(debug=False)
    logging.disable(logging.WARNING)  # the 403s of pages a role may not open are expected, not news
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from demo.pages import ROLES, page_urls
        from demo.synthetic import seed_synthetic, synthetic_user
        from reporting.models import Expenditure
        from workpackages.models import Deliverable

        small, large = options.scales
        for scale in (small, large):
            project = seed_synthetic(scale=scale)
            print(f"SYNTH{scale}: {Deliverable.objects.filter(project=project).count()} deliverables, "
                  f"{Expenditure.objects.filter(report__partner__project=project).count()} expenditure lines, "
                  f"{project.claims.count()} claims")
        pages = {scale: page_urls(scale) for scale in (small, large)}
        print(f"database: {connection.vendor}; median of {options.repeats} repeats × {options.iterations} requests; "
              f"goal: same queries, ratio ≤ {GOAL}")
        print(f"{'role':<12}{'page':<17}{'q' + str(small):>5}{'q' + str(large):>6}{'ms' + str(small):>9}"
              f"{'ms' + str(large):>9}{'ratio':>7}")
        failures, measured = [], 0
        for role in options.roles or ROLES:
            clients = {}
            for scale in (small, large):
                clients[scale] = Client()
                clients[scale].force_login(synthetic_user(scale, role))
            for one, other in zip(pages[small], pages[large], strict=True):
                if options.pages and one.name not in options.pages:
                    continue
                (status_s, q_s), (status_l, q_l) = queries(clients[small], one.url), queries(clients[large], other.url)
                if status_s != 200 or status_l != 200:
                    print(f"{role:<12}{one.name:<17}  {status_s}/{status_l}: not this role's page")
                    if (status_s == 200) != (status_l == 200):
                        failures.append((role, one.name, "answers differently at the two scales"))
                    continue
                timed(clients[small], one.url, 2)  # warm-up
                timed(clients[large], other.url, 2)
                runs = {small: [], large: []}
                for _ in range(options.repeats):
                    runs[small].append(timed(clients[small], one.url, options.iterations))
                    runs[large].append(timed(clients[large], other.url, options.iterations))
                ms_s, ms_l = (statistics.median(runs[s]) * 1000 for s in (small, large))
                ratio = ms_l / ms_s
                measured += 1
                verdict = "" if ratio <= GOAL and q_s == q_l else "  FAIL"
                if verdict:
                    failures.append((role, one.name, f"ratio {ratio:.2f}, queries {q_s}/{q_l}"))
                print(f"{role:<12}{one.name:<17}{q_s:>5}{q_l:>6}{ms_s:>9.1f}{ms_l:>9.1f}{ratio:>7.2f}{verdict}")
        print(f"{measured} pages measured; {len(failures)} fail")
        for failure in failures:
            print("  FAIL:", *failure)
        print("result:", "pass" if not failures else "FAIL")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
