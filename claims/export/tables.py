"""The claim's tables, described once for the PDF and the XLSX (the funder report's table spec and cells).

Each partner's figures are in the partner's claim currency (EUR, or NOK for a partner reporting in NOK), named in
a column: amounts of different currencies are never added up.
"""

from django.utils.translation import gettext as _

from claims.export.collect import ClaimDocument
from claims.selectors import LUMP_SUM
from partners.cost_options import CostCategory
from partners.models import FundingSource
from reporting.funder_report.tables import C, Table
from reporting.models import DeductionType


def _partner(part) -> str:
    return f"{part.partner.code} {part.partner.organisation.short_name}"


def claim_tables(document: ClaimDocument) -> list[Table]:
    categories = dict(CostCategory.choices)
    deductions = dict(DeductionType.choices)
    sources = dict(FundingSource.choices)
    used = [c for c in CostCategory.values if any(part.categories.get(c) for part in document.partners)]
    tables = [
        Table("Reports", _("Partner reports in the claim"),
              (C(_("Partner"), width=24), C(_("Period"), "int", 8), C(_("Certified"), "date", 12),
               C(_("Currency"), width=9), C(_("Certified total"), "money", 16)),
              tuple((r.partner, r.period_number, r.certified_on, r.currency, r.claimed) for r in document.reports)),
        Table("Categories", _("Certified expenditure per partner and cost category"),
              (C(_("Partner"), width=24), C(_("Currency"), width=9),
               *(C(str(categories[c]), "money", 14) for c in used),
               C(_("Other costs (flat rate)"), "money", 14), C(_("Lump sums"), "money", 14),
               C(_("Certified total"), "money", 16)),
              tuple((_partner(p), p.currency, *(p.categories.get(c) for c in used), p.other_costs_flat_rate,
                     p.lump_sums, p.claimed) for p in document.partners),
              note=_("Certified (verified) amounts; a category includes the flat rate claimed for it.")),
        Table("Co-financing", _("Claimed and accepted per partner"),
              (C(_("Partner"), width=24), C(_("Fund"), width=18), C(_("Currency"), width=9),
               C(_("Rate"), "percent", 8), C(_("Declared"), "money", 14), C(_("Deducted"), "money", 14),
               C(_("Claimed"), "money", 14), C(_("Co-financing claimed"), "money", 14),
               C(_("Accepted"), "money", 14), C(_("Co-financing accepted"), "money", 14),
               C(_("Reason"), width=30)),
              tuple((_partner(p), str(sources.get(p.fund, p.fund)), p.currency, p.cofinancing_rate, p.declared,
                     p.deducted, p.claimed,
                     p.claimed_cofinancing, p.accepted, p.accepted_cofinancing,
                     p.acceptance.reason if p.acceptance else "") for p in document.partners),
              note=_("Co-financing is the partner's rate of the accepted amount, rounded down to the cent.")),
        Table("Funds", _("Co-financing requested per fund"),
              (C(_("Fund"), width=30), C(_("Currency"), width=9), C(_("Requested"), "money", 16),
               C(_("Accepted"), "money", 16)),
              tuple((f.fund_label, f.currency, f.requested, f.accepted) for f in document.funds)),
        Table("Expenditure", _("List of expenditure"),
              (C(_("Partner"), width=14), C(_("Period"), "int", 7), C(_("Category"), width=14),
               C(_("Description"), width=26), C(_("Supplier"), width=16), C(_("Invoice"), width=10),
               C(_("Invoice date"), "date", 11), C(_("Line currency"), width=8), C(_("Declared"), "money", 12),
               C(_("Verified"), "money", 12), C(_("Currency"), width=8), C(_("Verified (claimed)"), "money", 13),
               C(_("Deducted (claimed)"), "money", 13), C(_("Deduction"), width=16)),
              tuple((f"{line.partner.code} {line.partner.organisation.short_name}", line.period_number,
                     _("Lump sum") if line.cost_category == LUMP_SUM else str(categories.get(line.cost_category,
                                                                                            line.cost_category)),
                     line.description, line.supplier, line.invoice_number, line.invoice_date, line.line_currency,
                     line.declared, line.verified, line.currency, line.verified_claimed, line.deducted_claimed,
                     str(deductions.get(line.deduction_type, "")) if line.deduction_type else "")
                    for line in document.lines),
              note=_("Every line certified in the claim's reports, in its own currency and in the claim's currency "
                     "for the partner (at the line's frozen rate).")),
        Table("Payment status", _("Payment status per partner"),
              (C(_("Partner"), width=24), C(_("Fund"), width=18), C(_("Currency"), width=9),
               C(_("Claimed"), "money", 14), C(_("Accepted"), "money", 14), C(_("Received"), "money", 14),
               C(_("Passed on"), "money", 14), C(_("Paid directly"), "money", 14),
               C(_("Outstanding"), "money", 14)),
              tuple((r.partner, r.fund, r.currency, r.claimed, r.accepted, r.received, r.passed_on, r.paid_directly,
                     r.outstanding) for r in document.payment_status),
              note=_("Co-financing. Received: passed on by the lead partner (ERDF) or paid directly by the "
                     "programme (Norwegian funds). Outstanding: accepted − received.")),
        Table("Payments", _("Payments received from the programme"),
              (C(_("Date"), "date", 11), C(_("Fund"), width=24), C(_("Paid to"), width=24),
               C(_("Amount"), "money", 14), C(_("Currency"), width=9), C(_("Reference"), width=24)),
              tuple((p.date, p.fund_label, p.paid_to, p.amount, p.currency, p.reference) for p in document.payments)),
        Table("Transfers", _("Passed on by the lead partner"),
              (C(_("Date"), "date", 11), C(_("Partner"), width=24), C(_("Amount"), "money", 14),
               C(_("Currency"), width=9), C(_("Reference"), width=24)),
              tuple((t.date, t.paid_to, t.amount, t.currency, t.reference) for t in document.transfers)),
    ]
    return tables
