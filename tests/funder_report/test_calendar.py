from datetime import date, timedelta

import pytest
from icalendar import Calendar
from knox.models import AuthToken
from rest_framework.test import APIClient

from consortium.models import CalendarFeedToken, Membership
from tests import factories as f


@pytest.fixture
def plan(world):
    deliverable = f.make_deliverable(world.wp1, code="D1.1", title="Kick-off report", due_date=date(2025, 3, 31))
    cancelled = f.make_deliverable(world.wp2, code="D2.9", status="cancelled", due_date=date(2025, 6, 30))
    milestone = f.make_milestone(world.wp2, code="MS1", title="Pilot in Malmö", due_date=date(2026, 5, 31))
    return deliverable, cancelled, milestone


def token_url(project):
    return f"/api/projects/{project.pk}/calendar-token/"


def feed(project, key):
    return APIClient().get(f"/api/projects/{project.pk}/deadlines.ics", {"token": key})


def events(response) -> dict[str, tuple]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["UID"]): (e.decoded("DTSTART"), e.decoded("DTEND"), str(e["SUMMARY"]))
            for e in calendar.walk("VEVENT")}


def test_mu_feed_has_exactly_the_deliverables_milestones_and_report_due_dates(mu, plan, world, api_client):
    deliverable, _, milestone = plan
    body = api_client(mu).get(token_url(world.project)).json()
    response = APIClient().get(body["url"])
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert events(response) == {
        f"deliverable-{deliverable.pk}@consortium": (date(2025, 3, 31), date(2025, 4, 1),
                                                     "ALPHA D1.1 due: Kick-off report"),
        f"milestone-{milestone.pk}@consortium": (date(2026, 5, 31), date(2026, 6, 1), "ALPHA MS1: Pilot in Malmö"),
        f"report-due-{world.period1.pk}@consortium": (date(2026, 3, 31), date(2026, 4, 1),
                                                      "ALPHA partner reports due (period 1)"),
        f"report-due-{world.period2.pk}@consortium": (date(2027, 3, 31), date(2027, 4, 1),
                                                      "ALPHA partner reports due (period 2)"),
    }


def test_reporter_feed_has_their_partners_report_due_dates(reporter_a, plan, world, api_client):
    key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    uids = set(events(feed(world.project, key)))
    partner = world.partner_a.pk
    assert {f"report-due-{world.period1.pk}-partner-{partner}@consortium",
            f"report-due-{world.period2.pk}-partner-{partner}@consortium"} <= uids
    assert not any(uid.startswith(f"report-due-{world.period1.pk}@") for uid in uids)


def test_viewer_feed_has_no_report_due_dates(viewer, plan, world, api_client):
    key = api_client(viewer).get(token_url(world.project)).json()["token"]
    assert not any(uid.startswith("report-due") for uid in events(feed(world.project, key)))


def test_uids_are_stable_between_fetches(mu, plan, world, api_client):
    key = api_client(mu).get(token_url(world.project)).json()["token"]
    assert set(events(feed(world.project, key))) == set(events(feed(world.project, key)))


def test_get_shows_the_same_token_and_post_resets_it(mu, plan, world, api_client):
    client = api_client(mu)
    first = client.get(token_url(world.project)).json()
    assert client.get(token_url(world.project)).json()["token"] == first["token"]
    reset = client.post(token_url(world.project)).json()
    assert reset["token"] != first["token"]
    assert feed(world.project, first["token"]).status_code == 404
    assert feed(world.project, reset["token"]).status_code == 200


def test_wrong_or_missing_token_is_404(mu, plan, world):
    assert feed(world.project, "not-a-token").status_code == 404
    assert APIClient().get(f"/api/projects/{world.project.pk}/deadlines.ics").status_code == 404


def test_token_of_another_project_is_404(mu, outsider, world, api_client):
    key = api_client(outsider).get(token_url(world.other_project)).json()["token"]
    assert feed(world.project, key).status_code == 404


def test_api_token_is_never_a_feed_token(mu, plan, world):
    _, api_token = AuthToken.objects.create(user=mu)
    assert feed(world.project, api_token).status_code == 404
    response = APIClient().get(f"/api/projects/{world.project.pk}/deadlines.ics",
                               HTTP_AUTHORIZATION=f"Token {api_token}")
    assert response.status_code == 404


def test_feed_dies_when_the_user_leaves_the_project(reporter_a, world, api_client):
    key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    Membership.objects.filter(user=reporter_a).delete()
    assert feed(world.project, key).status_code == 404


def test_a_feed_url_stays_dead_when_the_person_is_invited_again(reporter_a, mu, world, api_client):
    key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    membership = Membership.objects.get(user=reporter_a, project=world.project)
    assert api_client(mu).delete(f"/api/memberships/{membership.pk}/").status_code == 204
    assert not CalendarFeedToken.objects.filter(user=reporter_a).exists()
    invited = api_client(mu).post("/api/users/", {"email": reporter_a.email, "project": world.project.pk,
                                                  "role": "reporter", "partner": world.partner_a.pk}, format="json")
    assert invited.status_code == 201, invited.json()
    assert feed(world.project, key).status_code == 404
    new_key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    assert new_key != key and feed(world.project, new_key).status_code == 200


def test_a_key_older_than_the_membership_is_refused_however_the_membership_ended(reporter_a, world, api_client):
    key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    Membership.objects.filter(user=reporter_a).delete()  # not through the service: the key row survives
    f.add_member(reporter_a, world.project, "reporter", partner=world.partner_a)
    assert CalendarFeedToken.objects.filter(key=key).exists()
    assert feed(world.project, key).status_code == 404
    new_key = api_client(reporter_a).get(token_url(world.project)).json()["token"]
    assert new_key != key and feed(world.project, new_key).status_code == 200


@pytest.mark.parametrize(("persona", "status"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 200), ("viewer", 200), ("outsider", 404),
])
def test_calendar_token_permission_matrix(persona, status, personas, world, api_client):
    assert api_client(personas[persona]).get(token_url(world.project)).status_code == status
    assert CalendarFeedToken.objects.filter(user=personas[persona], project=world.project).exists() == (status == 200)


def test_calendar_token_needs_authentication(world):
    assert APIClient().get(token_url(world.project)).status_code == 401


def test_feed_query_budget(mu, plan, world, api_client, django_assert_max_num_queries):
    key = api_client(mu).get(token_url(world.project)).json()["token"]
    for n in range(5):
        f.make_deliverable(world.wp1, code=f"D1.{n + 20}", due_date=date(2026, 1, 1) + timedelta(days=n))
    # token + user + project, memberships, deliverables, milestones, periods
    with django_assert_max_num_queries(5):
        assert feed(world.project, key).status_code == 200
