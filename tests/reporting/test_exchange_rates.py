"""Exchange rates: read by every member, written (upserted) only by a site administrator; the CSV import command."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command

from consortium.models import Role
from reporting.models import ExchangeRate
from tests import factories as f


@pytest.fixture
def rate(db):
    return ExchangeRate.objects.create(currency="DKK", month=date(2025, 1, 1), rate=Decimal("7.4600"))


def test_rate_permissions_per_role(rate, world, personas, superuser, api_client):
    # Rates are the Commission's, shared by all projects: every member reads them; only a site administrator
    # (a superuser, or someone given the permission to change exchange rates) writes them, never the MU of
    # one project, whose change would move every other project's money.
    rate_keeper = f.make_user("rate-keeper")
    rate_keeper.user_permissions.add(Permission.objects.get(codename="change_exchangerate"))
    f.add_member(rate_keeper, world.project, Role.VIEWER)
    personas = {**personas, "superuser": superuser, "rate_keeper": rate_keeper}
    read = {name: 200 for name in personas}
    write = {"mu": 403, "coordinator": 403, "reporter_a": 403, "reporter_b": 403, "viewer": 403, "outsider": 403,
             "superuser": 201, "rate_keeper": 201}
    for name, user in personas.items():
        client = api_client(user)
        assert client.get("/api/exchange-rates/").status_code == read[name], name
        assert client.get(f"/api/exchange-rates/{rate.pk}/").status_code == read[name], name
        created = client.post("/api/exchange-rates/", {"currency": "SEK", "month": "2025-02-01", "rate": "11.1"},
                              format="json")
        assert created.status_code == write[name], name
        patched = client.patch(f"/api/exchange-rates/{rate.pk}/", {"rate": "7.4610"}, format="json",
                               HTTP_IF_MATCH=f'"{ExchangeRate.objects.get(pk=rate.pk).version}"')
        assert patched.status_code == {201: 200, 403: 403}[write[name]], name
    anonymous = api_client()
    assert anonymous.get("/api/exchange-rates/").status_code == 401
    assert anonymous.post("/api/exchange-rates/", {}, format="json").status_code == 401


def test_user_without_any_membership_cannot_read_rates(rate, api_client):
    from tests import factories as f

    assert api_client(f.make_user("nobody")).get("/api/exchange-rates/").status_code == 403


def test_post_is_an_upsert_and_month_must_be_first_day(rate, superuser, api_client):
    client = api_client(superuser)
    response = client.post("/api/exchange-rates/", {"currency": "DKK", "month": "2025-01-01", "rate": "7.4655"},
                           format="json")
    assert response.status_code == 201 and response.json()["rate"] == "7.4655"
    assert ExchangeRate.objects.get().rate == Decimal("7.4655")
    bad = client.post("/api/exchange-rates/", {"currency": "DKK", "month": "2025-01-15", "rate": "7"}, format="json")
    assert bad.status_code == 400 and "month" in bad.json()["fields"]
    assert client.post("/api/exchange-rates/", {"currency": "EUR", "month": "2025-01-01", "rate": "1"},
                       format="json").status_code == 400


def test_filters_by_currency_and_month(rate, mu, api_client):
    ExchangeRate.objects.create(currency="SEK", month=date(2025, 1, 1), rate=Decimal("11.2"))
    ExchangeRate.objects.create(currency="DKK", month=date(2025, 2, 1), rate=Decimal("7.45"))
    client = api_client(mu)
    rows = client.get("/api/exchange-rates/", {"currency": "DKK", "month": "2025-01"}).json()["results"]
    assert [(r["currency"], r["month"], r["rate"]) for r in rows] == [("DKK", "2025-01-01", "7.4600")]


def test_import_command_upserts_all_rows(rate, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("currency,month,rate\nDKK,2025-01,7.4620\nSEK,2025-01,11.1530\nNOK,2025-02,11.6000\n")
    call_command("import_exchange_rates", str(path))
    assert sorted(ExchangeRate.objects.values_list("currency", "month", "rate")) == [
        ("DKK", date(2025, 1, 1), Decimal("7.4620")),
        ("NOK", date(2025, 2, 1), Decimal("11.6000")),
        ("SEK", date(2025, 1, 1), Decimal("11.1530")),
    ]


def test_import_command_names_bad_rows_and_saves_nothing(rate, tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text("currency,month,rate\nSEK,2025-01,11.1530\nUSD,2025-13,-1\nDKK,2025-03,7.12345\n")
    with pytest.raises(CommandError) as error:
        call_command("import_exchange_rates", str(path))
    message = str(error.value)
    for expected in ("row 3.currency", "row 3.month", "row 3.rate", "row 4.rate"):
        assert expected in message
    assert "row 2" not in message
    assert list(ExchangeRate.objects.values_list("currency", flat=True)) == ["DKK"]


# The Commission's InforEuro format (a month's JSON list, as its public monthly-rates service publishes it); the
# sample's figures are illustrative, its layout is the Commission's. It lists every currency: only DKK, SEK and NOK
# are kept, and GBP's five decimals do not matter.
INFOREURO_SAMPLE = Path(__file__).parent / "data" / "inforeuro-2026-11.json"


def test_import_command_reads_the_commissions_inforeuro_file_for_its_month(db):
    call_command("import_exchange_rates", str(INFOREURO_SAMPLE), "--month", "2026-11")
    assert sorted(ExchangeRate.objects.values_list("currency", "month", "rate")) == [
        ("DKK", date(2026, 11, 1), Decimal("7.4598")),
        ("NOK", date(2026, 11, 1), Decimal("11.7245")),
        ("SEK", date(2026, 11, 1), Decimal("11.0915")),
    ]


def test_an_inforeuro_file_needs_its_month_and_a_bad_entry_saves_nothing(db, tmp_path):
    with pytest.raises(CommandError, match="month"):
        call_command("import_exchange_rates", str(INFOREURO_SAMPLE))
    bad = tmp_path / "inforeuro.json"
    bad.write_text('[{"isoA3Code": "DKK", "value": 7.4598}, {"isoA3Code": "SEK", "value": -1}]')
    with pytest.raises(CommandError, match=r"entry 2 \(SEK\)\.value"):
        call_command("import_exchange_rates", str(bad), "--month", "2026-11")
    assert not ExchangeRate.objects.exists()
