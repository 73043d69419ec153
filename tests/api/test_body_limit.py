"""A body over the size limit is answered in the API's one error shape (it was Django's HTML 400 page)."""


def test_a_json_body_over_the_limit_is_a_json_413(world, mu, api_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = '{"title": "' + "x" * 2000 + '"}'
    response = api_client(mu).post("/api/work-packages/", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "too_large" and "1000 bytes" in response.json()["detail"]


def test_a_form_body_over_the_limit_through_the_session_is_a_json_413(world, mu, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(mu)
    response = client.post("/api/work-packages/", {"title": "x" * 2000})
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
