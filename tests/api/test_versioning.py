"""Lost updates are impossible: PUT/PATCH need the version read (If-Match or `version`); stale → 412."""

import threading

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from tests import factories as f
from workpackages.models import Deliverable

URLS = {
    "deliverable": lambda world: f"/api/deliverables/{f.make_deliverable(world.wp1).pk}/",
    "partner": lambda world: f"/api/partners/{world.partner_b.pk}/",
    "period": lambda world: f"/api/reporting-periods/{world.period2.pk}/",
    "project": lambda world: f"/api/projects/{world.project.pk}/",
}
CHANGES = {
    "deliverable": {"title": "Changed"},
    "partner": {"funding_source": "none"},
    "period": {"report_due_date": "2027-02-28"},
    "project": {"title": "Changed"},
}


@pytest.mark.parametrize("resource", list(URLS))
def test_detail_carries_etag_and_version(resource, world, mu, api_client):
    response = api_client(mu).get(URLS[resource](world))
    assert response["ETag"] == f'"{response.json()["version"]}"'


@pytest.mark.parametrize("resource", list(URLS))
def test_update_without_version_is_428_and_writes_nothing(resource, world, mu, api_client):
    url = URLS[resource](world)
    client = api_client(mu)
    before = client.get(url).json()
    response = client.patch(url, CHANGES[resource], format="json")
    assert response.status_code == 428
    assert response.json()["code"] == "version_required"
    assert client.get(url).json() == before


@pytest.mark.parametrize("how", ["header", "body"])
@pytest.mark.parametrize("resource", list(URLS))
def test_stale_version_is_412_and_writes_nothing(resource, how, world, mu, api_client):
    url = URLS[resource](world)
    client = api_client(mu)
    before = client.get(url).json()
    stale = before["version"] + 5
    if how == "header":
        response = client.patch(url, CHANGES[resource], format="json", HTTP_IF_MATCH=f'"{stale}"')
    else:
        response = client.patch(url, {**CHANGES[resource], "version": stale}, format="json")
    assert response.status_code == 412
    assert response.json()["fields"]["version"]
    assert client.get(url).json() == before


@pytest.mark.parametrize("how", ["header", "body"])
@pytest.mark.parametrize("resource", list(URLS))
def test_current_version_writes_and_bumps(resource, how, world, mu, api_client):
    url = URLS[resource](world)
    client = api_client(mu)
    version = client.get(url).json()["version"]
    if how == "header":
        response = client.patch(url, CHANGES[resource], format="json", HTTP_IF_MATCH=f'W/"{version}"')
    else:
        response = client.patch(url, {**CHANGES[resource], "version": version}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == version + 1
    assert response["ETag"] == f'"{version + 1}"'
    assert all(response.json()[k] == v for k, v in CHANGES[resource].items())


def test_a_refused_change_does_not_bump_the_version(world, mu, api_client):
    url = f"/api/reporting-periods/{world.period2.pk}/"
    response = api_client(mu).patch(url, {"start_date": "2026-02-01"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 400
    world.period2.refresh_from_db()
    assert world.period2.version == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_patches_with_the_same_version_let_exactly_one_win(world, mu):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent connections (PostgreSQL)")
    deliverable = f.make_deliverable(world.wp1)
    url = f"/api/deliverables/{deliverable.pk}/"
    barrier = threading.Barrier(8)
    results: dict[int, int] = {}

    def patch(n: int) -> None:
        try:
            client = APIClient()
            client.force_authenticate(type(mu).objects.get(pk=mu.pk))
            barrier.wait()
            response = client.patch(url, {"title": f"writer {n}"}, format="json", HTTP_IF_MATCH='"1"')
            results[n] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=patch, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) == [200] + [412] * 7
    winner = next(n for n, code in results.items() if code == 200)
    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.version) == (f"writer {winner}", 2)
    assert Deliverable.objects.filter(pk=deliverable.pk).count() == 1
