"""One-line text fields refuse control characters: 400 naming the field (API), a form error (web).

Finding 7: `PATCH /api/projects/2/ {"acronym": "Dia\\r\\nBcc: x"}` was accepted, and then the calendar
feed, both funder-report downloads, invitations and submission answered 500. The rule is one field
type (consortium.text.LineField); this test walks every model of the apps for it and every
resource of tests/api/matrix.py that writes such a field.
"""

import pytest
from django.apps import apps
from django.db import models

from consortium.text import LineField
from consortium.urls import api_router
from tests.api.matrix import ENDPOINTS
from tests.web.report_helpers import report_url

BAD = "Dia\r\nBcc: evil@example.org"
# Text fields that are not typed in by anyone as one line: machine-made keys, addresses, uploaded names (made safe
# on storing and on download, consortium/uploads.py).
NOT_TYPED = {"CalendarFeedToken.key", "PasswordResetRequest.email", "ReminderSent.key", "Deliverable.document_name",
             "Expenditure.attachment_name", "Attachment.file_name", "Contract.file_name", "OIDCIdentity.issuer",
             "OIDCIdentity.subject"}
ROUTES = {prefix: viewset for prefix, viewset, _basename in api_router.registry}


def _free_text_char_fields():
    for app in ("consortium", "partners", "workpackages", "reporting", "sso"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if type(field) is models.CharField and not field.choices:
                    yield f"{model.__name__}.{field.name}"


def test_every_free_text_char_field_is_one_line():
    assert set(_free_text_char_fields()) - NOT_TYPED == set()


def _cases():
    for name, endpoint in ENDPOINTS.items():
        viewset = ROUTES[name]
        queryset = getattr(viewset, "queryset", None)
        if endpoint.update is None or queryset is None or endpoint.codes["mu"]["update"] != 200:
            continue
        writable = {n for n, f in viewset.serializer_class().fields.items() if not f.read_only}
        for field in queryset.model._meta.concrete_fields:
            if isinstance(field, LineField) and field.name in writable:
                yield name, field.name


CASES = list(_cases())


@pytest.mark.parametrize(("name", "field"), CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_the_api_refuses_a_control_character_naming_the_field(name, field, world, mu, api_client):
    endpoint = ENDPOINTS[name]
    obj = endpoint.make(world, world.project)
    response = api_client(mu).patch(f"{endpoint.path}{obj.pk}/", {field: BAD}, format="json",
                                    HTTP_IF_MATCH=f'"{obj.version}"')
    assert response.status_code == 400, response.json()
    assert "control characters" in response.json()["fields"][field][0]
    obj.refresh_from_db()
    assert getattr(obj, field) != BAD


def test_finding_7_the_acronym(world, mu, api_client):
    response = api_client(mu).patch(f"/api/projects/{world.project.pk}/", {"acronym": BAD}, format="json",
                                    HTTP_IF_MATCH=f'"{world.project.version}"')
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["acronym"]


def test_an_invitation_refuses_a_name_with_a_line_break(world, mu, api_client):
    response = api_client(mu).post("/api/users/", {"email": "nina@example.org", "first_name": "Nina\nBcc: x",
                                                   "project": world.project.pk, "role": "viewer"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["first_name"]


def test_the_web_editor_shows_a_control_character_as_an_error_at_the_field(client, world, reporter_a, new_draft,
                                                                           expense):
    draft = new_draft
    client.force_login(reporter_a)
    response = client.post(report_url(draft, "web:report-line-add"), {
        "cost_category": "travel", "description": "Taxi", "supplier": "Taxa\r\nBcc: x", "amount": "12.50",
        "currency": "EUR"})
    assert response.status_code == 400
    assert "control characters" in response.context["line_form"].errors["supplier"][0]
    assert not draft.expenditures.filter(description="Taxi").exists()
