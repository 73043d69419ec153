"""The cost options on the web: what the editor offers, how lines show their computation, the summary's flat
rates, and the partners page with its unit costs and lump sums (marked achieved by the MU)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from partners import services as partner_services
from partners.models import LumpSum, LumpSumShare, UnitCost
from reporting import services
from tests.web.report_helpers import report_url

D = Decimal


def set_options(partner, **options):
    return partner_services.partner_update(partner=partner, expected_version=partner.version, data=options)


def offered(response) -> list[str]:
    return [value for value, _label in response.context["line_form"].fields["cost_category"].choices if value]


def test_the_editor_offers_only_the_categories_the_options_leave(world, as_a, reporter_a, new_draft, expense):
    assert offered(as_a.get(report_url(new_draft))) == ["staff", "travel", "external", "equipment", "infrastructure"]
    set_options(world.partner_a, office_option="real", uses_other_costs_flat_rate=True,
                other_costs_flat_rate=D("40.00"))
    page = as_a.get(report_url(new_draft))
    assert offered(page) == ["staff"]
    assert "cover 5 categories with flat rates" in page.content.decode()


def test_a_stored_line_of_a_refused_category_can_still_be_corrected(world, as_a, reporter_a, new_draft, expense):
    set_options(world.partner_a, travel_option="flat_staff", travel_flat_rate=D("15.00"))
    line = expense  # travel
    page = as_a.get(report_url(new_draft, "web:report-line", line_id=line.pk))
    assert "travel" in [value for value, _ in page.context["form"].fields["cost_category"].choices]
    assert "travel" not in offered(as_a.get(report_url(new_draft)))


def test_staff_line_page_shows_its_computed_amount_not_an_amount_field(world, as_a, reporter_a, new_draft, expense):
    line = services.expenditure_add(report=new_draft, user=reporter_a, data={
        "cost_category": "staff", "description": "Coordinator", "employee": "B. Berg",
        "staff_method": "fixed_percentage", "monthly_gross_cost": D("48500.00"), "percentage": D("50.00"),
        "months": D("6"), "currency": "DKK"})
    page = as_a.get(report_url(new_draft, "web:report-line", line_id=line.pk)).content.decode()
    # 48,500.00 × 50 % × 6 months = 145,500.00 DKK
    assert "Amount, computed" in page and "145500.00 DKK" in page
    assert "48500.00 DKK a month × 50.00 % × 6 months" in page
    # Its invoice fieldset, where "Amount" is, is hidden and disabled; the staff one is shown.
    assert '<fieldset class="invoice-fields" data-line-kind="invoice" hidden disabled>' in page
    assert '<fieldset class="staff-fields" data-line-kind="staff">' in page
    listed = as_a.get(report_url(new_draft)).content.decode()
    assert "B. Berg · Fixed percentage of time" in listed


def test_a_unit_cost_line_added_on_the_web(world, as_a, reporter_a, new_draft, expense):
    unit_cost = UnitCost.objects.create(project=world.project, name="Partnership meeting", unit="participant-day",
                                        price_per_unit=D("96.00"), cost_category="travel")
    response = as_a.post(report_url(new_draft, "web:report-line-add"), {
        "unit_cost": unit_cost.pk, "units": "12", "description": "Meeting in Lund", "currency": "EUR",
        "cost_category": ""})
    line = new_draft.expenditures.get(unit_cost=unit_cost)
    assert response.status_code == 302
    assert (line.cost_category, line.amount, line.currency) == ("travel", D("1152.00"), "EUR")
    page = as_a.get(report_url(new_draft)).content.decode()
    assert "12 × 96.00 EUR per participant-day" in page


def test_the_summary_shows_each_flat_rate_with_its_rate_and_base(world, as_a, reporter_a, new_draft):
    set_options(world.partner_a, travel_option="flat_staff", travel_flat_rate=D("15.00"),
                office_option="flat_direct", office_flat_rate=D("7.00"))
    services.expenditure_add(report=new_draft, user=reporter_a, data={
        "cost_category": "staff", "description": "Researcher", "staff_method": "full_time",
        "monthly_gross_cost": D("20000.03"), "months": D("1"), "currency": "EUR"})
    services.expenditure_add(report=new_draft, user=reporter_a, data={
        "cost_category": "external", "description": "Analyses", "amount": D("1500.00"), "currency": "EUR"})
    page = as_a.get(report_url(new_draft)).content.decode()
    # travel 15 % × 20,000.03 = 3,000.0045 → 3,000.00; office 7 % × 24,500.03 = 1,715.0021 → 1,715.00
    assert "Travel &amp; accommodation flat rate on direct staff costs" in page
    assert "15.00 % × 20000.03 = <strong>3000.00</strong>" in page
    assert "Office &amp; administration flat rate on direct costs" in page
    assert "7.00 % × 24500.03 = <strong>1715.00</strong>" in page


@pytest.fixture
def lump_sum(world):
    made = LumpSum.objects.create(project=world.project, name="Preparation", amount=D("20000.00"),
                                  period=world.period1)
    LumpSumShare.objects.create(lump_sum=made, partner=world.partner_a, amount=D("12000.00"))
    LumpSumShare.objects.create(lump_sum=made, partner=world.partner_b, amount=D("8000.00"))
    return made


def partners_page(world):
    return reverse("web:partners", args=[world.project.pk])


def achieved(lump_sum, **fields):
    prefix = f"lump-sum-{lump_sum.pk}"
    return {f"{prefix}-version": lump_sum.version, f"{prefix}-achieved_date": "2025-11-30",
            f"{prefix}-evidence": "Application approved", **{f"{prefix}-{k}": v for k, v in fields.items()}}


def test_the_mu_marks_a_lump_sum_achieved_on_the_partners_page(world, client, mu, lump_sum):
    client.force_login(mu)
    page = client.get(partners_page(world)).content.decode()
    assert "Preparation" in page and "Mark achieved" in page and "Office 15.00 % of staff costs" in page
    url = reverse("web:lump-sum-achieved", args=[world.project.pk, lump_sum.pk])
    response = client.post(url, achieved(lump_sum))
    assert response.url == partners_page(world) + f"#lump-sum-{lump_sum.pk}"
    lump_sum.refresh_from_db()
    assert (str(lump_sum.achieved_date), lump_sum.evidence) == ("2025-11-30", "Application approved")


def test_a_refused_mark_shows_at_its_lump_sum(world, client, mu, lump_sum):
    client.force_login(mu)
    url = reverse("web:lump-sum-achieved", args=[world.project.pk, lump_sum.pk])
    response = client.post(url, achieved(lump_sum, achieved_date="2999-01-01"))
    assert response.status_code == 400
    form = response.context["plan_money"].lump_sums[0].achieved_form
    assert "is in the future" in form.errors["achieved_date"][0]


def test_reporters_see_the_lump_sums_but_cannot_mark_them(world, client, reporter_a, viewer, lump_sum):
    client.force_login(reporter_a)
    page = client.get(partners_page(world)).content.decode()
    assert "Preparation" in page and "Mark achieved" not in page
    url = reverse("web:lump-sum-achieved", args=[world.project.pk, lump_sum.pk])
    assert client.post(url, achieved(lump_sum)).status_code == 403
    client.force_login(viewer)
    page = client.get(partners_page(world)).content.decode()
    assert "Preparation" not in page and "Flat rates" not in page
