"""Export timings at scale 1 and scale 10 (synthetic data): the funder report and a claim, for the lead to record.

    .venv/bin/python bench/reports.py [--scales 1 10] [--repeat 7]

Uses the configured database (DATABASE_URL, else db.sqlite3; migrate it first). The synthetic
projects are created inside a transaction that is rolled back, so nothing is left behind.

Each export is timed whole, as a download runs it: collect, then the PDF and the XLSX renderers. The scales
are measured interleaved (scale 1, scale 10, scale 1, …; the machine is shared, so a burst of load falls on
both) and each figure is the median of --repeat runs; the whole export is the median of the runs' sums. Prints,
per export and scale, the data size, the collect step's queries and the times, then the ratio of the largest
scale to the smallest with PASS/FAIL against the goal (whole export ≤ 3 ×, issue 22).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "consortium.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from claims.export.collect import collect_claim  # noqa: E402
from claims.export.pdf import render_claim_pdf  # noqa: E402
from claims.export.xlsx import render_claim_xlsx  # noqa: E402
from claims.models import Claim  # noqa: E402
from consortium.models import Project  # noqa: E402
from demo.synthetic import seed_synthetic, synthetic_acronym  # noqa: E402
from reporting.funder_report.collect import collect_funder_report  # noqa: E402
from reporting.funder_report.pdf import render_pdf  # noqa: E402
from reporting.funder_report.xlsx import render_xlsx  # noqa: E402
from reporting.models import Expenditure, ProgressReport  # noqa: E402

GOAL = 3  # whole export at the largest scale ≤ GOAL × the smallest
STEPS = ("collect_s", "pdf_s", "xlsx_s", "whole_s")


class Export:
    """One export of one synthetic project: how to collect it and render it, and its timings."""

    def __init__(self, name: str, scale: int, collect, pdf, xlsx, size: dict):
        self.name, self.scale, self.collect, self.pdf, self.xlsx, self.size = name, scale, collect, pdf, xlsx, size
        self.timings = {step: [] for step in STEPS}
        connection.queries_log.clear()  # seeding at scale 10 fills its 9,000 entries: a capture would count 0
        with CaptureQueriesContext(connection) as queries:
            document = collect()
        self.queries = len(queries.captured_queries)
        self.pdf_kb, self.xlsx_kb = len(pdf(document)) // 1024, len(xlsx(document)) // 1024  # warm-up too

    def run(self) -> None:
        cpu = time.process_time()
        started = time.perf_counter()
        document = self.collect()
        collected = time.perf_counter()
        self.pdf(document)
        rendered = time.perf_counter()
        self.xlsx(document)
        finished = time.perf_counter()
        self.timings.setdefault("whole_cpu_s", []).append(time.process_time() - cpu)
        times = (collected - started, rendered - collected, finished - rendered, finished - started)
        for step, value in zip(STEPS, times, strict=True):
            self.timings[step].append(value)

    def median(self, step: str) -> float:
        return statistics.median(self.timings[step])


def exports_of(scale: int) -> list[Export]:
    if Project.objects.filter(acronym=synthetic_acronym(scale)).exists():
        raise SystemExit(f"{synthetic_acronym(scale)} exists in this database; use an empty one.")
    project = seed_synthetic(scale=scale)
    reports = ProgressReport.objects.filter(partner__project=project)
    size = {"partners": project.partners.count(), "reports": reports.count(),
            "lines": Expenditure.objects.filter(report__in=reports).count()}
    # The last period with reports: the report is cumulative, so it carries all of them.
    period = reports.order_by("-period__number").first().period
    exports = [Export("funder report", scale, lambda: collect_funder_report(project, period), render_pdf,
                      render_xlsx, {**size, "deliverables": project.deliverables.count()})]
    # The claim with the most reports (claims are per period); none while seed_synthetic creates none.
    claim = max(Claim.objects.filter(project=project).select_related("period"), default=None,
                key=lambda c: (reports.filter(period=c.period).count(), c.number))
    if claim is not None:
        exports.append(Export("claim", scale, lambda: collect_claim(claim), render_claim_pdf, render_claim_xlsx,
                              {**size, "claim": claim.number, "claim_reports": reports.filter(period=claim.period)
                               .count()}))
    return exports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    load_before = os.getloadavg()
    with transaction.atomic():
        by_scale = {scale: exports_of(scale) for scale in options.scales}
        for _ in range(options.repeat):
            for scale in options.scales:
                for export in by_scale[scale]:
                    export.run()
        transaction.set_rollback(True)
    print(f"database: {connection.vendor}; load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}; "
          f"medians of {options.repeat} interleaved runs, seconds")
    names = list(dict.fromkeys(e.name for exports in by_scale.values() for e in exports))
    for name in names:
        rows = [e for exports in by_scale.values() for e in exports if e.name == name]
        print(f"\n{name}")
        print(f"{'scale':>6} {'queries':>8} " + " ".join(f"{s:>9}" for s in STEPS) + "  pdf_kb xlsx_kb  size")
        for e in rows:
            print(f"{e.scale:>6} {e.queries:>8} " + " ".join(f"{e.median(s):>9.3f}" for s in STEPS)
                  + f"  {e.pdf_kb:>6} {e.xlsx_kb:>7}  " + ", ".join(f"{k} {v}" for k, v in e.size.items()))
        missing = [s for s in options.scales if s not in {e.scale for e in rows}]
        if missing:
            print(f"  (no {name} at scale {', '.join(map(str, missing))}: seed_synthetic made none)")
        if len(rows) > 1:
            small, large = rows[0], rows[-1]
            ratios = {s: large.median(s) / small.median(s) for s in STEPS}
            verdict = "PASS" if ratios["whole_s"] <= GOAL else "FAIL"
            print(f"ratio scale {large.scale} / {small.scale}: "
                  + ", ".join(f"{s[:-2]} {r:.2f}" for s, r in ratios.items())
                  + f"; queries {small.queries} vs {large.queries}; whole ≤ {GOAL}: {verdict}")
            # This process's CPU time is less disturbed by the others on a shared machine (PostgreSQL's own work
            # is not in it): a check on the wall-clock ratio, not the goal.
            cpu_small, cpu_large = small.median("whole_cpu_s"), large.median("whole_cpu_s")
            print(f"  whole export in this process's CPU time: {cpu_small:.3f} s and {cpu_large:.3f} s, "
                  f"ratio {cpu_large / cpu_small:.2f}")


if __name__ == "__main__":
    main()
