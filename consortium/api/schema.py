"""The OpenAPI schema documents every error an operation can answer, in the one error shape."""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from consortium.api.errors import ERROR_RESPONSES, IF_MATCH, WRITE_ERROR_RESPONSES


class TokenScheme(KnoxTokenScheme):
    """consortium.tokens.TokenAuthentication is knox's: documented as knox's (`knoxApiToken`)."""

    target_class = "consortium.tokens.TokenAuthentication"


class AutoSchema(SpectacularAutoSchema):
    """Adds 400/401/403/404 to every operation; 409/412/428 and the If-Match header to PUT/PATCH (409 to DELETE)."""

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method in ("PUT", "PATCH"):
            return [*parameters, IF_MATCH]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self.method in ("PUT", "PATCH"):
            errors = WRITE_ERROR_RESPONSES
        elif self.method in ("POST", "DELETE"):
            errors = {**ERROR_RESPONSES, 409: WRITE_ERROR_RESPONSES[409]}
        else:
            errors = ERROR_RESPONSES
        for code, response in errors.items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses
