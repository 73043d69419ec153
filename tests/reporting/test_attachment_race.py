"""Invoices uploaded while the report is being submitted: each lands before the submission or is refused.

The upload once checked "report editable" outside any lock, and 13 of 25 uploads racing one submit were
accepted and recorded after `submitted_at`. expenditure_attach_invoice now takes the report's lock.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from rest_framework.test import APIClient

from consortium import uploads
from reporting import services
from reporting.models import Expenditure

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UPLOADS = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_invoice_is_recorded_after_the_report_was_submitted(world, reporter_a, settings, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    settings.MEDIA_ROOT = tmp_path
    # Checking a file takes time (a large PDF, a slow disk): long enough here for the submission to
    # finish while an upload that had checked the report's state too early is still on its way.
    check = uploads.validate_upload
    monkeypatch.setattr(uploads, "validate_upload", lambda uploaded, **kw: (time.sleep(0.3), check(uploaded, **kw)))
    report = services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)
    report = services.report_update(report=report, expected_version=report.version, user=reporter_a, data={
        "work_package_progress": [{"work_package": world.wp1, "narrative": "Kick-off.", "objective_status": "fully"}]})
    lines = [services.expenditure_add(report=report, user=reporter_a, data={
        "cost_category": "travel", "description": f"Train {n}", "amount": Decimal("10.00"), "currency": "EUR"})
        for n in range(UPLOADS)]
    barrier = threading.Barrier(UPLOADS + 1)
    codes: dict[str, int] = {}

    def act(name: str, path: str, data: dict | None) -> None:
        try:
            client = APIClient()
            client.force_authenticate(type(reporter_a).objects.get(pk=reporter_a.pk))
            barrier.wait()
            codes[name] = client.post(path, data, format="multipart" if data else "json").status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=act, args=(f"line {line.pk}", f"/api/expenditures/{line.pk}/attachment/",
                                                  {"file": SimpleUploadedFile("invoice.pdf", PDF)}))
               for line in lines]
    threads.append(threading.Thread(target=act, args=("submit", f"/api/progress-reports/{report.pk}/submit/", None)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert codes["submit"] == 200
    upload_codes = [code for name, code in codes.items() if name != "submit"]
    assert len(upload_codes) == UPLOADS and set(upload_codes) <= {201, 409}
    report.refresh_from_db()
    attached = Expenditure.objects.filter(report=report).exclude(attachment="")
    assert attached.count() == upload_codes.count(201)
    for line in attached:
        recorded = line.history.exclude(attachment="").order_by("history_date").first().history_date
        assert recorded < report.submitted_at, f"{line.description}'s invoice was recorded after the submission"
