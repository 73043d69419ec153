"""The API's one error shape, {"detail": str, "code": str, "fields": {name: [messages]}}, and its handler."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from consortium.errors import DomainError


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


def _flatten(errors, prefix="") -> dict[str, list[str]]:
    """DRF's nested error dicts/lists -> {"field": [...], "lines[2].amount": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int):  # DRF keys a nested list's errors by the item's index
                flat.update(_flatten(value, f"{prefix}[{key}]"))
                continue
            name = key if key != "non_field_errors" else "__all__"
            flat.update(_flatten(value, f"{prefix}.{name}" if prefix else name))
    elif isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        for index, value in enumerate(errors):
            if value:
                flat.update(_flatten(value, f"{prefix}[{index}]"))
    else:
        items = errors if isinstance(errors, list) else [errors]
        flat[prefix or "__all__"] = [str(e) for e in items]
    return flat


def error_body(detail: str, code: str, fields: dict | None = None) -> dict:
    body = {"detail": detail, "code": code}
    if fields:
        body["fields"] = fields
    return body


def django_validation_fields(error: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for e in errors for m in e.messages] for name, errors in error.error_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


def _summary(fields: dict[str, list[str]]) -> str:
    first_field, messages = next(iter(fields.items()))
    return f"{first_field}: {messages[0]}" if first_field != "__all__" else messages[0]


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        # Django refuses the body while DRF parses it; unhandled, that was Django's HTML 400 page.
        return Response(error_body(f"The request body is larger than the limit of "
                                   f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes (files: {settings.UPLOAD_MAX_BYTES}"
                                   " bytes, sent as multipart).", "too_large"),
                        status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):  # e.g. too many fields: bad input, in the one error shape
        return Response(error_body(str(exc) or "Invalid request.", "invalid"), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DomainError):
        return Response(error_body(exc.message, exc.code, exc.errors or None), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        fields = django_validation_fields(exc)
        return Response(error_body(_summary(fields), "invalid", fields), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        response.data = error_body(_summary(fields) if fields else "Invalid input.", "invalid", fields)
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        code = getattr(detail, "code", None) or exc.default_code
        response.data = error_body(str(detail), str(code))
    elif isinstance(exc, Http404):
        response.data = error_body("Not found.", "not_found")
    elif isinstance(exc, DjangoPermissionDenied):
        response.data = error_body(str(exc) or "You do not have permission to perform this action.",
                                   "permission_denied")
    return response


ERROR_RESPONSES = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input; `fields` names each field at fault."),
    401: OpenApiResponse(ErrorSerializer, description="Not authenticated."),
    403: OpenApiResponse(ErrorSerializer, description="A member of the project without the right for this."),
    404: OpenApiResponse(ErrorSerializer, description="Not found, or not in one of your projects."),
}
WRITE_ERROR_RESPONSES = {
    **ERROR_RESPONSES,
    409: OpenApiResponse(ErrorSerializer, description="The object's state forbids this change."),
    412: OpenApiResponse(ErrorSerializer, description="Stale version: someone else changed it; nothing written."),
    428: OpenApiResponse(ErrorSerializer, description="Send the version as If-Match or `version`."),
}
IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The ETag (version) you read; required unless the body has `version`.",
)
