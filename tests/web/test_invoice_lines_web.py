"""The editor takes an invoice's total, VAT and share, and shows the computation; the review page shows it too."""

from decimal import Decimal

from django.urls import reverse


def test_editor_computes_an_invoice_line_from_total_vat_and_share(as_a, world, reporter_a, new_draft, expense):
    draft = new_draft
    response = as_a.post(reverse("web:report-line-add", args=[world.project.pk, draft.pk]), {
        "cost_category": "equipment", "description": "Laptop, 30 % for the project", "supplier": "Elgiganten A/S",
        "invoice_total": "12500.00", "vat_amount": "2500.00", "vat_recoverable": "on", "declared_share": "30",
        "currency": "DKK"})
    assert response.status_code == 302
    line = draft.expenditures.get(description="Laptop, 30 % for the project")
    # (12,500.00 − 2,500.00 recoverable VAT) × 30 % = 3,000.00
    assert (line.amount, line.invoice_total, line.vat_amount, line.vat_recoverable, line.declared_share) == (
        Decimal("3000.00"), Decimal("12500.00"), Decimal("2500.00"), True, Decimal("30.00"))
    page = as_a.get(reverse("web:report", args=[world.project.pk, draft.pk])).content.decode()
    assert "(12500.00 − 2500.00 recoverable VAT) × 30.00 % = 3000.00" in page
    short = as_a.post(reverse("web:report-line-add", args=[world.project.pk, draft.pk]), {
        "cost_category": "external", "description": "Consultant", "amount": "100.00", "currency": "EUR"})
    assert short.status_code == 302
    assert draft.expenditures.get(description="Consultant").invoice_total == Decimal("100.00")
