import pytest

from reporting.models import ProjectReport

LIST = "/api/project-reports/"


@pytest.fixture
def narrative(world):
    return ProjectReport.objects.create(project=world.project, period=world.period1, highlights="First pilots.")


def detail(report):
    return f"{LIST}{report.pk}/"


def test_mu_creates_the_narrative_of_a_period(mu, world, api_client):
    response = api_client(mu).post(LIST, {"project": world.project.pk, "period": world.period2.pk,
                                          "highlights": "Ærø clinic joined", "next_steps": "Scale up"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["highlights"], body["period_number"], body["version"]) == ("Ærø clinic joined", 2, 1)
    assert response["ETag"] == '"1"'


def test_second_create_for_the_same_period_is_a_conflict_and_keeps_the_text(mu, narrative, world, api_client):
    response = api_client(mu).post(LIST, {"project": world.project.pk, "period": world.period1.pk,
                                          "highlights": "Overwritten"}, format="json")
    assert response.status_code == 409
    narrative.refresh_from_db()
    assert narrative.highlights == "First pilots."


def test_create_with_the_version_read_updates_the_existing_narrative(mu, narrative, world, api_client):
    response = api_client(mu).post(LIST, {"project": world.project.pk, "period": world.period1.pk,
                                          "deviations": "A delay of two months.", "version": 1}, format="json")
    assert response.status_code == 201
    narrative.refresh_from_db()
    assert (narrative.deviations, narrative.highlights, narrative.version) == ("A delay of two months.",
                                                                               "First pilots.", 2)


def test_patch_needs_the_version_and_refuses_a_stale_one(mu, narrative, api_client):
    client = api_client(mu)
    assert client.patch(detail(narrative), {"highlights": "x"}, format="json").status_code == 428
    assert client.patch(detail(narrative), {"highlights": "y"}, format="json",
                        HTTP_IF_MATCH='"1"').status_code == 200
    assert client.patch(detail(narrative), {"highlights": "z"}, format="json",
                        HTTP_IF_MATCH='"1"').status_code == 412
    narrative.refresh_from_db()
    assert (narrative.highlights, narrative.version) == ("y", 2)


def test_a_narrative_cannot_move_to_another_period(mu, narrative, world, api_client):
    response = api_client(mu).patch(detail(narrative), {"period": world.period2.pk, "version": 1}, format="json")
    assert response.status_code == 400 and "period" in response.json()["fields"]


def test_period_of_another_project_is_refused(mu, world, api_client):
    response = api_client(mu).post(LIST, {"project": world.project.pk, "period": world.other_period.pk},
                                   format="json")
    assert response.status_code == 400


@pytest.mark.parametrize(("persona", "status"), [
    ("mu", 200), ("coordinator", 200), ("reporter_a", 403), ("viewer", 403), ("outsider", 404),
])
def test_read_permission_matrix(persona, status, personas, narrative, api_client):
    assert api_client(personas[persona]).get(detail(narrative)).status_code == status


@pytest.mark.parametrize(("persona", "status"), [
    ("mu", 200), ("coordinator", 403), ("reporter_a", 403), ("viewer", 403), ("outsider", 404),
])
def test_write_permission_matrix(persona, status, personas, narrative, api_client):
    response = api_client(personas[persona]).patch(detail(narrative), {"highlights": "new", "version": 1},
                                                   format="json")
    assert response.status_code == status


def test_list_shows_only_projects_where_the_user_reads_reports(mu, coordinator, viewer, outsider, narrative,
                                                               api_client):
    assert api_client(coordinator).get(LIST).json()["count"] == 1
    assert api_client(outsider).get(LIST).json()["count"] == 0
    assert api_client(viewer).get(LIST).status_code == 403
    assert api_client(mu).get(LIST, {"period": narrative.period_id}).json()["count"] == 1


def test_list_query_budget(mu, narrative, world, api_client, django_assert_max_num_queries):
    ProjectReport.objects.create(project=world.project, period=world.period2)
    client = api_client(mu)
    # memberships, count, page (project and period joined)
    with django_assert_max_num_queries(3):
        assert client.get(LIST).json()["count"] == 2
