from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView


class PlainMetadata(SimpleMetadata):
    """OPTIONS answers what a view renders and parses, not its forms.

    The forms are in the OpenAPI schema; building them here would look up
    objects the caller may not see.
    """

    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        metadata = super().determine_metadata(request, view)
        metadata.pop("actions", None)
        return metadata

    def determine_actions(self, request: Request, view: APIView) -> dict[str, Any]:
        return {}
