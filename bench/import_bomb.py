"""XLSX import bombs through gunicorn: each answered 400 naming `file` within a second, /healthz keeps answering.

Issue 13 item 1. The script builds a ~4 MB `.xlsx` whose one sheet unpacks to ~1 GB (2,000,000 rows of an
expenditure line), written with zipfile directly (about 20 s on a loaded 2-core machine). It migrates a
throw-away SQLite database in a temporary directory, seeds the demo (`seed_demo`), takes the demo's first
draft or returned report and gives a reporter of its partner an API token, and starts gunicorn (production
settings, DEBUG=0) on 127.0.0.1 at a free port. Then it posts `--bombs` bombs in parallel to
`POST /api/expenditures/import/` as that reporter while another thread polls `/healthz` every 100 ms (2 s
timeout), and prints each bomb's status, time and error field, and the health polls that failed or were
slow. Everything is bounded: a request times out after `--timeout` seconds, the whole run after the bombs and
one more second of polling.

    .venv/bin/python bench/import_bomb.py                 # 4 bombs, 3 workers
    .venv/bin/python bench/import_bomb.py --bombs 8 --workers 3 --rows 2000000
    .venv/bin/python bench/import_bomb.py --target plan   # the same bombs to the plan import, as the MU
"""

import argparse
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")

COLUMNS = ["cost_category", "work_package", "description", "supplier", "invoice_number", "invoice_date",
           "payment_date", "amount", "currency"]
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Expenditure" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def _row(values) -> bytes:
    # No r="" references: rows and cells without them are valid and follow one another.
    return ("<row>" + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>").encode()


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_TAIL = b"</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def xlsx_with_rows(rows: int, row_xml: bytes = b"<row><c><v>1</v></c></row>", header=COLUMNS) -> bytes:
    """A minimal valid workbook: a `header` row, then `rows` copies of `row_xml`, written with zipfile directly
    (fast, and streamed: a bomb never exists unpacked). tests/reporting/test_import_hardening.py builds its too."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            sheet.write(_row(header))
            chunk = row_xml * 10_000
            for _ in range(rows // 10_000):
                sheet.write(chunk)
            sheet.write(row_xml * (rows % 10_000))
            sheet.write(SHEET_TAIL)
    return out.getvalue()


def build_bomb(rows: int) -> tuple[bytes, int]:
    """(the .xlsx, its sheet's unpacked size): a header and `rows` copies of one travel line (~470 bytes), which
    deflate packs about 230:1 (a match is at most 258 bytes long): 2,000,000 rows are ~0.9 GB in ~4 MB."""
    line = ["travel", "WP1", "Taxi to the partner meeting in Lund and back to Copenhagen, return trip", "Taxa 4x35",
            "T-1", "2025-05-02", "2025-05-03", "123.45", "DKK"]
    bomb = xlsx_with_rows(rows, _row(line))
    return bomb, zipfile.ZipFile(io.BytesIO(bomb)).getinfo(SHEET).file_size


SETUP_SCRIPT = r"""
from knox.models import AuthToken
from consortium.models import Membership
from reporting.models import ProgressReport

# The first editable (draft or returned) report of the demo and a reporter of its partner.
for report in ProgressReport.objects.filter(status__in=["draft", "returned"]).order_by("id"):
    membership = Membership.objects.filter(partner=report.partner, role="reporter").order_by("id").first()
    if membership:
        print("SETUP", AuthToken.objects.create(user=membership.user)[1], report.pk, membership.user.username)
        break
# The plan import's bombs are posted by the demo's MU (docs/PLAN_IMPORT.md).
from django.contrib.auth import get_user_model
print("PLAN", AuthToken.objects.create(user=get_user_model().objects.get(username="mu"))[1], 0, "mu")
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Where a bomb goes: the expenditure import (a report's lines) or the plan import (a project's plan, a dry run).
TARGETS = {"expenditures": ("/api/expenditures/import/", "report"), "plan": ("/api/projects/plan-import/", "dry_run")}


def post_bomb(base: str, token: str, report: int, content: bytes, timeout: float, name: str = "bomb.xlsx",
              target: str = "expenditures") -> dict:
    boundary = secrets.token_hex(16)
    path, field = TARGETS[target]
    value = report if field == "report" else "true"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
    body += content + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}{path}", data=body, method="POST", headers={
        "Authorization": f"Token {token}", "Accept": "application/json",
        "Content-Type": f"multipart/form-data; boundary={boundary}"})
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    except OSError as error:
        status, text = "timeout/error", str(error)
    elapsed = (time.perf_counter() - started) * 1000
    try:
        fields = json.loads(text).get("fields", {})
    except ValueError:
        fields = {"(body)": [text[:80]]}
    return {"status": status, "ms": elapsed, "fields": fields}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bombs", type=int, default=4)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--timeout", type=float, default=40.0, help="seconds per request")
    parser.add_argument("--target", choices=sorted(TARGETS), default="expenditures",
                        help="the import the bombs go to: expenditures (as a reporter) or plan (as the MU)")
    options = parser.parse_args()

    started = time.perf_counter()
    bomb, unpacked = build_bomb(options.rows)
    print(f"bomb: {len(bomb) / 1e6:.1f} MB .xlsx, sheet unpacks to {unpacked / 1e9:.2f} GB "
          f"({options.rows:,} rows); built in {time.perf_counter() - started:.1f} s")

    workdir = tempfile.mkdtemp(prefix="import-bomb-")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir}/db.sqlite3", "DJANGO_SETTINGS_MODULE":
           "consortium.settings", "MEDIA_ROOT": f"{workdir}/media"}
    run = dict(cwd=ROOT, check=True, capture_output=True, text=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--no-input"], env={**env, "DEBUG": "1"}, **run)
    subprocess.run([PYTHON, "manage.py", "seed_demo"], env={**env, "DEBUG": "1"}, **run)
    setup = subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP_SCRIPT], env={**env, "DEBUG": "1"}, **run)
    prefix = "SETUP" if options.target == "expenditures" else "PLAN"
    token, report, reporter = next(line.split()[1:] for line in setup.stdout.splitlines() if line.startswith(prefix))

    port = free_port()
    server_env = {**env, "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(64), "SECURE_SSL_REDIRECT": "0",
                  "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "ERROR",
                  "PYTHONWARNINGS": "ignore:No directory at:UserWarning"}
    server = subprocess.Popen([GUNICORN, "consortium.wsgi", "--workers", str(options.workers), "--bind",
                               f"127.0.0.1:{port}", "--timeout", "30", "--log-level", "warning"],
                              cwd=ROOT, env=server_env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("gunicorn did not answer /healthz within 30 s")

        # Warm every worker up first (its first request loads the URLs and views, ~0.5 s): the figures are then
        # those of the bomb, not of a cold start. A small CSV with a bad header is an import refused at once.
        warmers = [threading.Thread(target=post_bomb, args=(base, token, int(report), b"x\n", options.timeout, "w.csv",
                                                             options.target))
                   for _ in range(options.workers * 3)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(options.timeout)

        polls, stop = [], threading.Event()

        def poll_health():
            while not stop.is_set():
                began = time.perf_counter()
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                        outcome = response.status
                except OSError as error:
                    outcome = type(error).__name__
                polls.append((outcome, (time.perf_counter() - began) * 1000))
                time.sleep(0.1)

        results = [None] * options.bombs

        def send(index):
            results[index] = post_bomb(base, token, int(report), bomb, options.timeout, target=options.target)

        poller = threading.Thread(target=poll_health)
        poller.start()
        time.sleep(0.5)
        senders = [threading.Thread(target=send, args=(i,)) for i in range(options.bombs)]
        wall = time.perf_counter()
        for thread in senders:
            thread.start()
        for thread in senders:
            thread.join(options.timeout + 5)
        wall = time.perf_counter() - wall
        time.sleep(1)
        stop.set()
        poller.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(f"gunicorn {options.workers} workers on 127.0.0.1, SQLite, DEBUG=0; {options.bombs} bombs in parallel "
          f"to the {options.target} import as {reporter}; all answered in {wall * 1000:.0f} ms")
    for index, result in enumerate(results, start=1):
        message = "; ".join(f"{k}: {v[0][:70]}" for k, v in (result or {}).get("fields", {}).items())
        print(f"  bomb {index}: {result['status']} in {result['ms']:.0f} ms  {message}")
    failed = [p for p in polls if p[0] != 200]
    slowest = max((ms for _, ms in polls), default=0)
    print(f"/healthz: {len(polls)} polls, {len(failed)} failed, slowest {slowest:.0f} ms")
    ok = all(r and r["status"] == 400 and list(r["fields"]) == ["file"] and r["ms"] < 1000 for r in results)
    print(f"every bomb 400 naming file in < 1 s: {'pass' if ok else 'FAIL'}; "
          f"healthz failures = {len(failed)} (goal 0): {'pass' if not failed else 'FAIL'}")
    sys.exit(0 if ok and not failed else 1)


if __name__ == "__main__":
    main()
