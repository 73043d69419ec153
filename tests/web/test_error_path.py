"""The web's one error path: input the API answers with 400 is a form error on the page, never a 500."""

from django.urls import reverse

from consortium.errors import DomainError, Problem
from reporting import services
from tests import factories as f
from tests.web.report_helpers import report_url


def test_a_line_with_amount_zero_is_a_form_error_as_in_the_api(as_a, new_draft, api_client, reporter_a, expense):
    body = {"cost_category": "travel", "description": "Taxi", "amount": "0", "currency": "EUR"}
    response = as_a.post(report_url(new_draft, "web:report-line-add"), body)
    assert response.status_code == 400
    assert response.context["line_form"].errors["amount"]
    api = api_client(reporter_a).post("/api/expenditures/", {"report": new_draft.pk, **body}, format="json")
    assert api.status_code == 400 and "amount" in api.json()["fields"]
    assert new_draft.expenditures.count() == 1  # only the expense line


def test_a_negative_indicator_value_is_a_form_error_not_a_server_error(as_a, new_draft, world, expense):
    indicator = f.make_indicator(world.project)
    response = as_a.post(report_url(new_draft), {"version": new_draft.version, "summary": "", "problems": "",
                                             f"indicator_{indicator.pk}": "-1"})
    assert response.status_code == 400
    assert response.context["form"].errors[f"indicator_{indicator.pk}"]


def test_a_refusal_of_the_service_lands_under_the_field_it_names(as_a, new_draft, monkeypatch, expense):
    """A problem only the service knows (here a made-up one) is shown at its field, with the service's status."""
    def refuse(**kwargs):
        raise DomainError("The expenditure line is invalid.", problems=[Problem("supplier", "Not on the list.")])

    monkeypatch.setattr(services, "expenditure_add", refuse)
    response = as_a.post(report_url(new_draft, "web:report-line-add"), {
        "cost_category": "travel", "description": "Taxi", "amount": "12.00", "currency": "EUR"})
    assert response.status_code == 400
    assert response.context["line_form"].errors["supplier"] == ["Not on the list."]


def test_a_stale_save_is_a_message_at_the_top_and_keeps_what_was_typed(as_a, new_draft, reporter_a, expense):
    stale_version = new_draft.version
    services.report_update(report=new_draft, expected_version=new_draft.version, data={"summary": "Other tab."},
                           user=reporter_a)
    response = as_a.post(report_url(new_draft), {"version": stale_version, "summary": "My long text.", "problems": ""})
    assert response.status_code == 412
    page = response.content.decode()
    assert "Someone else changed this" in page and "My long text." in page


def test_a_domain_error_no_form_caught_is_its_status_not_a_500(client, mu, world, monkeypatch):
    from web.views import pages

    def refuse(*args, **kwargs):
        raise DomainError("Not today.", field="day")

    monkeypatch.setattr(pages.selectors, "dashboard", refuse)
    client.force_login(mu)
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 400 and "Not today." in response.content.decode()
