"""The risk register page: the MU adds and edits risks (a stale edit saves nothing and shows the other change),
every member reads it, and a passed review date of a risk not closed is highlighted."""

from datetime import timedelta

from consortium.models import local_today
from workpackages.models import Risk

FORM = {"title": "Recruitment lags", "description": "", "likelihood": "3", "impact": "2", "owner": "",
        "mitigation": "A second clinic joins.", "status": "open", "review_date": ""}


def _risks(project):
    return f"/projects/{project.pk}/risks/"


def test_the_mu_adds_a_risk_owned_by_a_partner(as_mu, world):
    response = as_mu.post(_risks(world.project), {**FORM, "owner": world.partner_b.pk})
    assert response.status_code == 302
    risk = Risk.objects.get(project=world.project)
    assert (risk.title, risk.likelihood, risk.impact, risk.score, risk.owner) == (
        "Recruitment lags", 3, 2, 6, world.partner_b)
    assert risk.history.count() == 1


def test_an_owner_from_another_project_is_refused_under_its_field(as_mu, world):
    response = as_mu.post(_risks(world.project), {**FORM, "owner": world.other_partner.pk})
    assert response.status_code == 400
    assert not Risk.objects.exists()


def test_members_read_the_register_without_the_form_and_overdue_reviews_are_marked(login, world, viewer):
    overdue = Risk.objects.create(project=world.project, title="Key staff leave",
                                  review_date=local_today() - timedelta(days=1))
    Risk.objects.create(project=world.project, title="Closed long ago", status="closed",
                        review_date=local_today() - timedelta(days=100))
    page = login(viewer).get(_risks(world.project))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Key staff leave" in text and "Add a risk" not in text
    assert f'<tr id="risk-{overdue.pk}" class="is-overdue">' in text
    assert text.count("Review overdue") == 1  # the closed risk's old date is not a task


def test_a_stale_edit_saves_nothing_and_shows_what_the_other_person_saved(as_mu, world):
    risk = Risk.objects.create(project=world.project, title="Recruitment lags")
    url = f"{_risks(world.project)}{risk.pk}/"
    assert as_mu.get(url).status_code == 200
    first = as_mu.post(url, {**FORM, "mitigation": "Hire a study nurse.", "version": 1})
    assert first.status_code == 302
    stale = as_mu.post(url, {**FORM, "mitigation": "Extend the recruitment period.", "version": 1})
    assert stale.status_code == 412
    text = stale.content.decode()
    assert "Saved meanwhile by someone else" in text and "Hire a study nurse." in text
    risk.refresh_from_db()
    assert (risk.mitigation, risk.version) == ("Hire a study nurse.", 2)


def test_the_register_runs_as_many_queries_for_many_risks(login, mu, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert login(mu).get(_risks(world.project)).status_code == 200
        return len(queries)

    Risk.objects.create(project=world.project, title="One", owner=world.partner_a)
    count()  # the first request of a session also records the signed-in person's language
    few = count()
    Risk.objects.bulk_create(Risk(project=world.project, title=f"R{i}", owner=world.partner_b) for i in range(20))
    assert count() == few
