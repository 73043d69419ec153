"""Funder report timings at scale 1 and scale 10 (synthetic data), for the lead to record.

    .venv/bin/python bench/reports.py [--scales 1 10] [--repeat 3]

Uses the configured database (DATABASE_URL, else db.sqlite3; migrate it first). The synthetic
projects are created inside a transaction that is rolled back, so nothing is left behind.
Prints, per scale, the data size, the queries and time of the collect step, and the time of the
PDF and the XLSX renderers (best of --repeat), then the PDF time ratio of the largest to the smallest.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from consortium.models import Project  # noqa: E402
from demo.synthetic import seed_synthetic, synthetic_acronym  # noqa: E402
from reporting.funder_report.collect import collect_funder_report  # noqa: E402
from reporting.funder_report.pdf import render_pdf  # noqa: E402
from reporting.funder_report.xlsx import render_xlsx  # noqa: E402
from reporting.models import Expenditure, ProgressReport  # noqa: E402


def best_of(repeat: int, function):
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return min(timings), result


def measure(scale: int, repeat: int) -> dict:
    if Project.objects.filter(acronym=synthetic_acronym(scale)).exists():
        raise SystemExit(f"{synthetic_acronym(scale)} exists in this database; use an empty one.")
    started = time.perf_counter()
    project = seed_synthetic(scale=scale)
    seeded = time.perf_counter() - started
    # The last period with reports: the report is cumulative, so it carries all of them.
    period = (ProgressReport.objects.filter(partner__project=project).order_by("-period__number").first().period)
    with CaptureQueriesContext(connection) as queries:
        collect_time, report = best_of(1, lambda: collect_funder_report(project, period))
    pdf_time, pdf = best_of(repeat, lambda: render_pdf(report))
    xlsx_time, xlsx = best_of(repeat, lambda: render_xlsx(report))
    return {
        "scale": scale, "partners": len(report.partners), "deliverables": len(report.deliverables),
        "reports": ProgressReport.objects.filter(partner__project=project).count(),
        "lines": Expenditure.objects.filter(report__partner__project=project).count(), "seed_s": seeded,
        "collect_queries": len(queries.captured_queries), "collect_s": collect_time, "pdf_s": pdf_time,
        "pdf_kb": len(pdf) // 1024, "xlsx_s": xlsx_time, "xlsx_kb": len(xlsx) // 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    results = []
    with transaction.atomic():
        for scale in options.scales:
            results.append(measure(scale, options.repeat))
        transaction.set_rollback(True)
    print(f"database: {connection.vendor}")
    header = ("scale", "partners", "deliverables", "reports", "lines", "seed_s", "collect_queries", "collect_s",
              "pdf_s", "pdf_kb", "xlsx_s", "xlsx_kb")
    print(" ".join(f"{h:>15}" for h in header))
    for row in results:
        print(" ".join(f"{row[h]:>15.3f}" if isinstance(row[h], float) else f"{row[h]:>15}" for h in header))
    if len(results) > 1:
        smallest, largest = results[0], results[-1]
        print(f"PDF time ratio scale {largest['scale']} / scale {smallest['scale']}: "
              f"{largest['pdf_s'] / smallest['pdf_s']:.2f}")
        print(f"collect time ratio: {largest['collect_s'] / smallest['collect_s']:.2f}; "
              f"queries {smallest['collect_queries']} vs {largest['collect_queries']}")


if __name__ == "__main__":
    main()
