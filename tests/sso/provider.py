"""A small OpenID Connect provider on 127.0.0.1 for the sign-in tests: no network beyond this machine.

It serves the discovery document, an authorize endpoint (which redirects straight back with a code:
whoever `person` names has "signed in"), a token endpoint that checks the client, the redirect URI and
the PKCE verifier and returns an RS256-signed ID token, a userinfo endpoint and the JWKS. Tests change
`person`, `id_token_claims` (extra or overriding claims), `userinfo_claims` and `signing_key` to play a
provider that asserts other things, or an impostor.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

KEY_ID = "test-key-1"


def new_rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class LocalProvider:
    def __init__(self, *, client_id: str, client_secret: str, key):
        self.client_id = client_id
        self.client_secret = client_secret
        self.key = key  # published in the JWKS
        self.signing_key = key  # what ID tokens are actually signed with
        self.person = {"sub": "subject-1", "email": "person@example.org", "email_verified": True}
        self.id_token_claims: dict = {}
        self.userinfo_claims: dict = {}
        self.requests: list[str] = []  # paths asked for, in order
        self._codes: dict[str, dict] = {}
        self._access_tokens: dict[str, dict] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def discovery(self) -> dict:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**jwk, "kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict) -> tuple[int, dict, bytes]:
        if query.get("client_id") != self.client_id or query.get("response_type") != "code":
            return 400, {}, b"unknown client or response type"
        if "openid" not in query.get("scope", "").split():
            return 400, {}, b"not an OpenID Connect request"
        code = secrets.token_urlsafe(16)
        self._codes[code] = {"nonce": query.get("nonce"), "redirect_uri": query["redirect_uri"],
                             "challenge": query.get("code_challenge"), "person": dict(self.person)}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": location}, b""

    def token(self, form: dict) -> tuple[int, dict, bytes]:
        grant = self._codes.pop(form.get("code", ""), None)  # a code works once
        if (grant is None or form.get("grant_type") != "authorization_code"
                or form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret
                or form.get("redirect_uri") != grant["redirect_uri"]):
            return 400, {"Content-Type": "application/json"}, b'{"error": "invalid_grant"}'
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"]:
            return 400, {"Content-Type": "application/json"}, b'{"error": "invalid_grant", "pkce": true}'
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": grant["nonce"],
                  **grant["person"], **self.id_token_claims}
        id_token = jwt.encode(claims, self.signing_key, algorithm="RS256", headers={"kid": KEY_ID})
        access_token = secrets.token_urlsafe(16)
        self._access_tokens[access_token] = grant["person"]
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def userinfo(self, authorization: str) -> tuple[int, dict, bytes]:
        person = self._access_tokens.get(authorization.removeprefix("Bearer "))
        if person is None:
            return 401, {}, b""
        body = {**person, "name": "Test Person", **self.userinfo_claims}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                url = urlsplit(self.path)
                provider.requests.append(url.path)
                query = {key: values[0] for key, values in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider.discovery())
                elif url.path == "/jwks":
                    self._json(provider.jwks())
                elif url.path == "/authorize":
                    self._answer(*provider.authorize(query))
                elif url.path == "/userinfo":
                    self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
                else:
                    self._answer(404, {}, b"")

            def do_POST(self):
                url = urlsplit(self.path)
                provider.requests.append(url.path)
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                form = {key: values[0] for key, values in parse_qs(body).items()}
                if url.path == "/token":
                    self._answer(*provider.token(form))
                else:
                    self._answer(404, {}, b"")

            def _json(self, document):
                self._answer(200, {"Content-Type": "application/json"}, json.dumps(document).encode())

            def _answer(self, status, headers, body):
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass  # keep the test output quiet

        return Handler
