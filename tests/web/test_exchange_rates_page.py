"""A site administrator loads the Commission's month; the MU is warned of a currency in use without this month's
rate."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partners import services as partner_services
from reporting.models import ExchangeRate

SAMPLE = Path(__file__).parent.parent / "reporting" / "data" / "inforeuro-2026-11.json"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_site_administrator_uploads_the_months_inforeuro_file(superuser, mu):
    url = reverse("web:exchange-rates")
    assert _client(mu).get(url).status_code == 403
    upload = SimpleUploadedFile("inforeuro.json", SAMPLE.read_bytes())
    response = _client(superuser).post(url, {"file": upload, "month": "2026-11"})
    assert response.status_code == 302
    assert sorted(ExchangeRate.objects.values_list("currency", "rate")) == [
        ("DKK", Decimal("7.4598")), ("NOK", Decimal("11.7245")), ("SEK", Decimal("11.0915"))]
    assert set(ExchangeRate.objects.values_list("month", flat=True)) == {date(2026, 11, 1)}
    without_month = _client(superuser).post(url, {"file": SimpleUploadedFile("inforeuro.json", SAMPLE.read_bytes())})
    assert without_month.status_code == 400
    assert without_month.context["form"].errors["month"]


def test_the_mu_is_warned_of_a_currency_in_use_without_this_months_rate(world, mu, reporter_a, this_month):
    partner = world.partner_no
    partner_services.partner_update(partner=partner, expected_version=partner.version,
                                    data={"reporting_currency": "NOK"})
    page = _client(mu).get(reverse("web:dashboard"))
    assert [item.missing_rates for item in page.context["projects"] if item.project == world.project] == [["NOK"]]
    assert "missing-rates" in page.content.decode()
    assert "missing-rates" not in _client(reporter_a).get(reverse("web:dashboard")).content.decode()
    ExchangeRate.objects.create(currency="NOK", month=this_month, rate=Decimal("11.7000"))
    page = _client(mu).get(reverse("web:dashboard"))
    assert "missing-rates" not in page.content.decode()
