"""Content-Security-Policy on every page (django-csp), and Swagger UI served by the app itself.

Finding 9: no CSP header, and Swagger UI's files came from a CDN at @latest.
"""

import re

import pytest


def _policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/api/", "/api/docs/"])
def test_every_kind_of_page_has_the_policy(path, world, mu, client):
    client.force_login(mu)
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    policy = _policy(response)
    assert policy["script-src"] == "script-src 'self'"
    assert policy["object-src"] == "object-src 'none'" and policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in policy["style-src"] and "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_no_page_has_an_inline_script(world, mu, client):
    client.force_login(mu)
    for path in ("/", f"/projects/{world.project.pk}/", "/api/docs/", "/api/"):
        html = client.get(path, HTTP_ACCEPT="text/html").content.decode()
        # A data block (type="application/json", the browsable API's CSRF token) is not run and needs no nonce.
        assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', html), path


def test_swagger_ui_comes_from_this_site_with_a_nonce_on_its_style(world, mu, client):
    client.force_login(mu)
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert "cdn.jsdelivr.net" not in html and "unpkg.com" not in html and "@latest" not in html
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    nonce = re.search(r'<style nonce="([^"]+)">', html)[1]
    assert f"'nonce-{nonce}'" in _policy(response)["style-src"]
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
