"""Every report action × role: submit, approve, return, summary, history (and import) answer the right code."""

import pytest

from reporting import services

# The report is partner A's. reporter_b and the outsider do not learn that it exists (404); a viewer
# reads no reports (403); only the MU reviews and reads the history.
READ = {"mu": 200, "coordinator": 200, "reporter_a": 200, "reporter_b": 404, "viewer": 403, "outsider": 404}
HISTORY = {**READ, "coordinator": 403, "reporter_a": 403}
SUBMIT = {"mu": 200, "coordinator": 403, "reporter_a": 200, "reporter_b": 404, "viewer": 403, "outsider": 404}
REVIEW = {"mu": 200, "coordinator": 403, "reporter_a": 403, "reporter_b": 404, "viewer": 403, "outsider": 404}


@pytest.mark.parametrize("persona", list(READ))
def test_read_actions(draft, personas, api_client, persona):
    client = api_client(personas[persona])
    assert client.get(f"/api/progress-reports/{draft.pk}/summary/").status_code == READ[persona]
    assert client.get(f"/api/progress-reports/{draft.pk}/history/").status_code == HISTORY[persona]


@pytest.mark.parametrize("persona", list(SUBMIT))
def test_submit(draft, personas, api_client, persona):
    response = api_client(personas[persona]).post(f"/api/progress-reports/{draft.pk}/submit/")
    assert response.status_code == SUBMIT[persona]


@pytest.mark.parametrize("action", ["approve", "return"])
@pytest.mark.parametrize("persona", list(REVIEW))
def test_review(draft, reporter_a, personas, api_client, persona, action):
    services.report_submit(report=draft, user=reporter_a)
    response = api_client(personas[persona]).post(f"/api/progress-reports/{draft.pk}/{action}/",
                                                  {"comment": "Fix the dates."}, format="json")
    assert response.status_code == REVIEW[persona]


def test_review_of_a_draft_is_a_conflict(draft, mu, api_client):
    response = api_client(mu).post(f"/api/progress-reports/{draft.pk}/approve/")
    assert response.status_code == 409 and "Only a submitted report" in response.json()["detail"]


def test_anonymous_gets_401_everywhere(draft, api_client):
    client = api_client()
    for url in ("summary/", "history/"):
        assert client.get(f"/api/progress-reports/{draft.pk}/{url}").status_code == 401
    for url in ("submit/", "approve/", "return/"):
        assert client.post(f"/api/progress-reports/{draft.pk}/{url}").status_code == 401
    assert client.post("/api/expenditures/import/").status_code == 401


@pytest.mark.parametrize("persona, code", [("mu", 400), ("coordinator", 403), ("reporter_a", 400),
                                           ("reporter_b", 400), ("viewer", 403), ("outsider", 400)])
def test_import_permissions(draft, personas, api_client, persona, code):
    # An empty file: allowed users reach the file check (400 naming `file`); reporter_b and the outsider
    # cannot name partner A's report at all (400 naming `report`).
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api_client(personas[persona]).post(
        "/api/expenditures/import/", {"report": draft.pk, "file": SimpleUploadedFile("x.csv", b"")},
        format="multipart")
    assert response.status_code == code
    if code == 400:
        expected = "report" if persona in ("reporter_b", "outsider") else "file"
        assert expected in response.json()["fields"]
