"""Shared fixtures: a small project world, the personas of DESIGN.md's roles, a draft report, the demo.

`world` holds project A (three partners: a Danish lead, a Swedish and a Norwegian partner; two
periods of 12 months; one WP led by each of the first two partners) and an unrelated project B.
Personas: mu, coordinator, reporter_a (partner A1), reporter_b (partner A2), viewer, outsider
(the MU of project B only), superuser, controller_a and controller_b (the first-level controllers of A1, A2).
`api_client(user)` is an authenticated DRF client, `login(user)`
a signed-in Django test client (`as_a`, `as_mu`: reporter A's and the MU's).
Reports of partner A for period 1: `new_draft` (nothing written), `draft` (the same with WP1's narrative),
`expense` (a DKK travel line on it), `submitted` (draft and line, submitted), `in_control` (approved and taken
into control by controller_a); `rates`: this month's rates.
`demo`: the demo data of `seed_demo`, seeded once per test session (see `_demo_session` for how).

Fixtures live here once; a test module keeps only the fixtures no other module needs.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from rest_framework.test import APIClient

from consortium.models import Project, Role, first_of_month, local_today
from reporting import services
from reporting.models import ExchangeRate
from tests import factories as f


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Test users need no real password hashing; PBKDF2 costs ~0.3 s a user and made the suite crawl.

    Session-wide (not pytest-django's per-test `settings`), so the once-per-session demo hashes fast too.
    """
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


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
def controller_a(world):
    """The first-level controller of partner A (a Danish controller: the Danish partner only)."""
    user = f.make_user("controller-a")
    f.add_member(user, world.project, Role.CONTROLLER, controlled_partners=[world.partner_a])
    return user


@pytest.fixture
def controller_b(world):
    """The first-level controller of partner B (a Swedish controller: the Swedish partner only)."""
    user = f.make_user("controller-b")
    f.add_member(user, world.project, Role.CONTROLLER, controlled_partners=[world.partner_b])
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
    """api_client(user) -> an APIClient for a freshly loaded copy of `user` (None: anonymous).

    A fresh copy, so the per-request membership cache starts empty as it does for a real request.
    """

    def make(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            client.force_authenticate(get_user_model().objects.get(pk=user.pk))
        return client

    return make


@pytest.fixture
def login(client):
    """login(user) -> Django's test client, signed in as `user`."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def as_a(login, reporter_a):
    return login(reporter_a)


@pytest.fixture
def as_mu(login, mu):
    return login(mu)


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


@pytest.fixture
def new_draft(world, reporter_a):
    """Partner A's draft for period 1 as the reporter just started it: nothing written yet."""
    return services.report_create(partner=world.partner_a, period=world.period1, user=reporter_a)


@pytest.fixture
def draft(new_draft, world, reporter_a):
    """The new draft with a summary and the narrative of WP1 (the one WP partner A must report on)."""
    return services.report_update(
        report=new_draft, expected_version=new_draft.version, user=reporter_a,
        data={"summary": "Kick-off held.", "work_package_progress": [
            {"work_package": world.wp1, "narrative": "Consortium set up.", "objective_status": "partly"}]},
    )


@pytest.fixture
def expense(new_draft, reporter_a):
    """A travel line of the draft (new or not: the same report) in DKK: 745.00 DKK is 99.87 EUR at `rates`."""
    return services.expenditure_add(report=new_draft, user=reporter_a, data={
        "cost_category": "travel", "description": "Train to Lund", "supplier": "DSB", "invoice_number": "T-1",
        "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9), "amount": Decimal("745.00"),
        "currency": "DKK"})


@pytest.fixture
def submitted(expense, draft, rates, reporter_a):
    """The draft with its line (added before the narrative, as a reporter would), submitted; this month's rates
    freeze the line's EUR amount."""
    return services.report_submit(report=draft, user=reporter_a, notify=False)


@pytest.fixture
def in_control(submitted, mu, controller_a):
    """The submitted report approved by the MU and taken into control by partner A's controller."""
    services.report_approve(report=submitted, user=mu, notify=False)
    return services.control_start(report=submitted, user=controller_a, notify=False)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads land in a fresh directory of this test (use it, or `pytest.mark.usefixtures("media")`)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- the demo, seeded once per session --------------------------------------------------------------

@pytest.fixture(scope="session")
def _demo_session(django_db_setup, django_db_blocker):
    """`seed_demo` once per session (per xdist worker), inside a transaction that is never committed.

    Seeding takes seconds; the tests that read the demo used to seed it each. Here it is seeded once, in an
    outer transaction on the test database; each test using `demo` runs in pytest-django's per-test atomic
    block, a savepoint inside it, so whatever a test writes is rolled back to the seeded state. At the end of
    the session the outer transaction is rolled back, so nothing leaks on SQLite or PostgreSQL.
    Because the demo stays in the database until then, `pytest_collection_modifyitems` below runs the tests
    using it last; a test that needs a flushed database (transactional_db, live_server) cannot use it.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("seed_demo", force=True, stdout=StringIO())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(request, _demo_session, db):
    """The demo's ReproUnion project (the demo also has DiaUnion and the demo users; password 'demo')."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        pytest.fail("the session's demo lives in an open transaction: a transactional test must seed its own")
    return Project.objects.get(acronym="ReproUnion")


def pytest_collection_modifyitems(items):
    """Run the tests that use the session's demo last (after pytest-django's own order: plain database
    tests, transactional ones, then those without a database), so no other test meets the demo's rows."""
    items.sort(key=lambda item: "_demo_session" in getattr(item, "fixturenames", ()))
