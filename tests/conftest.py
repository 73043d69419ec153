"""Shared fixtures: a small project world and the personas of DESIGN.md's roles.

`world` holds project A (three partners: a Danish lead, a Swedish and a Norwegian partner; two
periods of 12 months; one WP led by each of the first two partners) and an unrelated project B.
Personas: mu, coordinator, reporter_a (partner A1), reporter_b (partner A2), viewer, outsider
(the MU of project B only), superuser. `api_client(user)` is an authenticated DRF client.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from consortium.models import Role, first_of_month, local_today
from reporting.models import ExchangeRate
from tests import factories as f


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Test users need no real password hashing; PBKDF2 costs ~0.3 s a user and made the suite crawl."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    project: object
    other_project: object
    partner_a: object  # KU-like: Danish lead partner, ERDF 60 %
    partner_b: object  # LU-like: Swedish partner, ERDF 60 %
    partner_no: object  # Norwegian partner, national funds 50 %
    other_partner: object  # the lead of project B
    period1: object
    period2: object
    other_period: object
    wp1: object  # led by partner A
    wp2: object  # led by partner B
    other_wp: object


@pytest.fixture
def world(db) -> World:
    programme = f.make_programme(name="Interreg VI-A Öresund-Kattegat-Skagerrak", short_name="ÖKS")
    project = f.make_project(programme, acronym="ALPHA", start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
    ku = f.make_organisation(name="University of Copenhagen", short_name="KU", country="DK")
    lu = f.make_organisation(name="Lund University", short_name="LU", country="SE")
    osl = f.make_organisation(name="Oslo University Hospital", short_name="OUS", country="NO")
    partner_a = f.make_partner(project, ku, number=1, role="lead")
    partner_b = f.make_partner(project, lu, number=2)
    partner_no = f.make_partner(
        project, osl, number=3, cofinancing_rate=Decimal("50.00"), funding_source="norwegian_national"
    )
    period1 = f.make_period(project, 1, date(2025, 1, 1), date(2025, 12, 31), date(2026, 3, 31))
    period2 = f.make_period(project, 2, date(2026, 1, 1), date(2026, 12, 31), date(2027, 3, 31))
    wp1 = f.make_work_package(project, partner_a, number=1, title="Management")
    wp2 = f.make_work_package(project, partner_b, number=2, title="Research")
    f.make_activity(wp2, partners=[partner_b, partner_no])

    other_project = f.make_project(programme, acronym="BETA")
    other_partner = f.make_partner(other_project, f.make_organisation(short_name="OTH"), number=1, role="lead")
    other_period = f.make_period(other_project, 1, date(2025, 1, 1), date(2025, 12, 31))
    other_wp = f.make_work_package(other_project, other_partner, number=1)
    return World(project, other_project, partner_a, partner_b, partner_no, other_partner,
                 period1, period2, other_period, wp1, wp2, other_wp)


@pytest.fixture
def mu(world):
    user = f.make_user("mu")
    f.add_member(user, world.project, Role.MANAGEMENT_UNIT)
    return user


@pytest.fixture
def coordinator(world):
    user = f.make_user("coordinator")
    f.add_member(user, world.project, Role.COORDINATOR)
    return user


@pytest.fixture
def reporter_a(world):
    user = f.make_user("reporter-a")
    f.add_member(user, world.project, Role.REPORTER, partner=world.partner_a)
    return user


@pytest.fixture
def reporter_b(world):
    user = f.make_user("reporter-b")
    f.add_member(user, world.project, Role.REPORTER, partner=world.partner_b)
    return user


@pytest.fixture
def viewer(world):
    user = f.make_user("viewer")
    f.add_member(user, world.project, Role.VIEWER)
    return user


@pytest.fixture
def outsider(world):
    """The MU of project B: a real, powerful user, but a stranger to project A."""
    user = f.make_user("outsider")
    f.add_member(user, world.other_project, Role.MANAGEMENT_UNIT)
    return user


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", "root@example.org", "pw")


@pytest.fixture
def personas(mu, coordinator, reporter_a, reporter_b, viewer, outsider):
    return {"mu": mu, "coordinator": coordinator, "reporter_a": reporter_a, "reporter_b": reporter_b,
            "viewer": viewer, "outsider": outsider}


@pytest.fixture
def api_client():
    """api_client(user) -> an APIClient authenticated as `user` (None: anonymous)."""

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def this_month():
    return first_of_month(local_today())


@pytest.fixture
def rates(db, this_month):
    """DKK, SEK and NOK rates of the current month (units per EUR)."""
    return {
        currency: ExchangeRate.objects.create(currency=currency, month=this_month, rate=Decimal(rate))
        for currency, rate in (("DKK", "7.4600"), ("SEK", "11.2000"), ("NOK", "11.7000"))
    }
