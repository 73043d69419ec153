"""Project dates are bounded: at most 10 years, and the end after the start; a clear 400 naming the field.

Finding 9: an end date of 9999-12-31 was accepted and made a 5.7 MB page and a 21 s PDF.
"""

import pytest

from consortium.models import Project


def _patch(client, project, body):
    project = Project.objects.get(pk=project.pk)
    return client.patch(f"/api/projects/{project.pk}/", body, format="json", HTTP_IF_MATCH=f'"{project.version}"')


@pytest.mark.parametrize(("body", "message"), [
    ({"end_date": "9999-12-31"}, "at most 10 years"),
    ({"end_date": "2035-01-31"}, "at most 10 years"),
    ({"end_date": "2024-12-31"}, "must not be before start_date"),
])
def test_a_project_longer_than_10_years_or_ending_before_it_starts_is_refused(body, message, world, mu, api_client):
    response = _patch(api_client(mu), world.project, body)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["end_date"]
    assert message in response.json()["fields"]["end_date"][0]
    assert Project.objects.get(pk=world.project.pk).end_date == world.project.end_date


def test_a_project_of_exactly_10_years_is_fine(world, mu, api_client):
    response = _patch(api_client(mu), world.project, {"end_date": "2034-12-31"})
    assert response.status_code == 200, response.json()
    assert response.json()["duration_months"] == 120


def test_a_superuser_cannot_create_one_either(world, superuser, api_client):
    response = api_client(superuser).post("/api/projects/", {
        "programme": world.project.programme_id, "acronym": "LONG", "title": "Long", "start_date": "2026-01-01",
        "end_date": "9999-12-31"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["end_date"]
