"""Organisations are shared between projects: an MU picks any of them for its own project.

The gap: an organisation partnering only in other projects was invisible to an MU, so it could not
be found to be added as a partner. A reporter or viewer still sees only their projects'
organisations, and nobody learns through the `project` filter which organisations partner in a
project they are not in.
"""

from tests import factories as f


def _ids(response):
    assert response.status_code == 200, response.json()
    return {row["id"] for row in response.json()["results"]}


def test_an_mu_finds_and_uses_an_organisation_partnering_only_elsewhere(world, mu, api_client):
    elsewhere = world.other_partner.organisation
    client = api_client(mu)
    assert elsewhere.pk in _ids(client.get("/api/organisations/", {"page_size": 500}))
    assert client.get(f"/api/organisations/{elsewhere.pk}/").status_code == 200
    response = client.post("/api/partners/", {"project": world.project.pk, "organisation": elsewhere.pk,
                                              "number": 9, "cofinancing_rate": "60.00", "funding_source": "erdf"},
                           format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["organisation"]["id"] == elsewhere.pk
    contact = client.post("/api/contacts/", {"project": world.project.pk, "organisation": elsewhere.pk,
                                             "name": "Anna Berg", "email": "anna@example.org",
                                             "kind": "partner_contact"}, format="json")
    assert contact.status_code == 201, contact.json()


def test_an_mu_may_not_change_an_organisation_of_a_project_it_does_not_manage(world, mu, api_client):
    elsewhere = world.other_partner.organisation
    response = api_client(mu).patch(f"/api/organisations/{elsewhere.pk}/", {"website": "https://x.example/"},
                                    format="json", HTTP_IF_MATCH=f'"{elsewhere.version}"')
    assert response.status_code == 403


def test_the_project_filter_does_not_tell_which_organisations_partner_elsewhere(world, mu, api_client):
    client = api_client(mu)
    assert _ids(client.get("/api/organisations/", {"project": world.other_project.pk})) == set()
    assert _ids(client.get("/api/organisations/", {"project": world.project.pk})) == {
        world.partner_a.organisation_id, world.partner_b.organisation_id, world.partner_no.organisation_id}


def test_a_reporter_and_a_viewer_see_only_their_projects_organisations(world, reporter_a, viewer, api_client):
    elsewhere = world.other_partner.organisation
    unused = f.make_organisation()
    for user in (reporter_a, viewer):
        client = api_client(user)
        seen = _ids(client.get("/api/organisations/", {"page_size": 500}))
        assert seen == {world.partner_a.organisation_id, world.partner_b.organisation_id,
                        world.partner_no.organisation_id}
        assert client.get(f"/api/organisations/{elsewhere.pk}/").status_code == 404
        assert client.get(f"/api/organisations/{unused.pk}/").status_code == 404
