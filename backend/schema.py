"""The OpenAPI schema as generated clients read it: one request media type per operation and
every answer that can happen, errors included.

drf-spectacular documents a body once per parser and only the success of an operation. A
generator then picks a media type the server does not expect and treats every refusal as
"unexpected". Here an operation takes JSON, or a multipart form when its body carries a file,
and lists each error status the API can give it, all in the one error shape of
``backend.errors`` (``code``, ``detail``, ``fields``).
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance
from rest_framework import permissions, serializers

JSON = "application/json"
DIGITS = (r"^\d+$", r"^[0-9]+$")
MULTIPART = "multipart/form-data"


class ErrorSerializer(serializers.Serializer):
    """Every 4xx and 5xx answer of the API."""

    code = serializers.CharField(help_text="A stable code: invalid, not_found, conflict...")
    detail = serializers.CharField(help_text="A sentence for the person, in their language.")
    fields = serializers.DictField(
        child=serializers.JSONField(),
        help_text=(
            "The fields refused, each with its messages (nested objects for nested fields), "
            "named as the request sent them; empty when the error is not about a field."
        ),
    )

    class Meta:
        ref_name = "Error"


# Why each status can answer; the conditions are in ``AutoSchema._error_statuses``.
ERRORS = {
    "400": "Invalid input: `fields` names each field refused and its rule.",
    "401": "Missing, invalid or expired access token.",
    "403": "The account may not do this.",
    "404": "No such object, or not visible to this account.",
    "409": "The object's current state forbids this change; `detail` says why.",
    "413": "The body or a file is too large.",
    "415": "The body's media type is not the one this operation takes.",
    "429": "Too many requests: wait for the number of seconds in the Retry-After header.",
    "503": "The service is temporarily unavailable: try again shortly.",
}


def _has_file_field(serializer: Any) -> bool:
    serializer = force_instance(serializer)
    if not isinstance(serializer, serializers.BaseSerializer):
        return False
    if isinstance(serializer, serializers.ListSerializer):
        return _has_file_field(serializer.child)
    for field in serializer.fields.values():
        if isinstance(field, serializers.FileField):
            return True
        if isinstance(field, serializers.ListField) and isinstance(
            field.child, serializers.FileField
        ):
            return True
        if isinstance(field, serializers.BaseSerializer) and _has_file_field(field):
            return True
    return False


class AutoSchema(SpectacularAutoSchema):
    def map_parsers(self) -> list[Any]:
        """JSON, or multipart where the body sends files: one media type, as clients need."""
        media_types = super().map_parsers()
        if MULTIPART in media_types and _has_file_field(self.get_request_serializer()):
            return [MULTIPART]
        if JSON in media_types:
            return [JSON]
        return media_types[:1]

    def get_operation_id(self) -> str:
        """Identifiers only: generators turn operation ids into function and file names."""
        return re.sub(r"\W", "_", super().get_operation_id())

    def _get_format_parameters(self) -> list[dict[str, Any]]:
        # ``?format=geojson`` chooses how a read is rendered; a write answers JSON.
        if self.method != "GET":
            return []
        return super()._get_format_parameters()

    def _get_request_body(self, direction: str = "request") -> dict[str, Any] | None:
        """One media type also where a view lists several for its body."""
        body = super()._get_request_body(direction)
        if body and len(body["content"]) > 1:
            declared = self.get_request_serializer()
            files = isinstance(declared, dict) and _has_file_field(declared.get(MULTIPART))
            keep = MULTIPART if files else JSON
            body["content"] = {keep: body["content"][keep]}
        return body

    def _resolve_path_parameters(self, variables: list[str]) -> list[dict[str, Any]]:
        """Ids matched by a digits-only pattern are integers, as clients should send them."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if schema.get("type") == "string" and schema.get("pattern") in DIGITS:
                parameter["schema"] = {"type": "integer"}
        return parameters

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        error = self.resolve_serializer(ErrorSerializer(), direction).ref
        for status_code in self._error_statuses():
            responses.setdefault(
                status_code,
                {"description": ERRORS[status_code], "content": {JSON: {"schema": error}}},
            )
        if self.method == "GET" and self._is_anonymous_json():
            responses.setdefault(
                "304", {"description": "Not modified: the `If-None-Match` ETag still holds."}
            )
        return responses

    def _error_statuses(self) -> list[str]:
        view = self.view
        statuses = ["400"]
        if getattr(view, "authentication_classes", None):
            statuses.append("401")
        if any(
            permission is not permissions.AllowAny
            for permission in getattr(view, "permission_classes", [])
        ):
            statuses.append("403")
        if "{" in self.path:
            statuses.append("404")
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            statuses.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            statuses += ["413", "415"]
        if getattr(view, "throttle_classes", None):
            statuses.append("429")
        statuses.append("503")
        return statuses

    def _is_anonymous_json(self) -> bool:
        # backend.caching answers 304 to an anonymous GET whose ETag matches.
        return any(
            media_type == JSON or media_type.endswith("+json")
            for media_type in self.map_renderers("media_type")
        )
