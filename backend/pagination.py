"""One page envelope for every collection that can grow: ``count``, ``next``, ``previous``,
``results``.

Page-number lists count their rows (``count`` is an integer); cursor lists, which phones
scroll while they grow, do not count (``count`` is null) so that a page costs the same
whatever the size of the list.
"""

from __future__ import annotations

from typing import Any

from rest_framework import pagination
from rest_framework.response import Response


class PageNumberPagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_paginated_response_schema(self, schema: dict) -> dict:
        envelope = super().get_paginated_response_schema(schema)
        envelope["required"] = ["count", "next", "previous", "results"]
        return envelope


class CursorPagination(pagination.CursorPagination):
    """Stable pages for lists that grow while a phone scrolls them."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-created_at"

    def get_paginated_response(self, data: Any) -> Response:
        return Response(
            {
                "count": None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        envelope = super().get_paginated_response_schema(schema)
        envelope["properties"] = {
            "count": {
                "type": "integer",
                "nullable": True,
                "description": "Not counted on cursor pages: always null.",
            },
            **envelope["properties"],
        }
        envelope["required"] = ["count", "next", "previous", "results"]
        return envelope
