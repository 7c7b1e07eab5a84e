"""Rich text and bilingual messages, shared by the consultation services."""

from __future__ import annotations

from typing import Any

import nh3
from django.utils import translation

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "u", "s", "a", "ul", "ol", "li", "h2", "h3", "h4",
    "blockquote", "figure", "figcaption", "img", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "*": {"lang"}}


def sanitize_html(html: str) -> str:
    """Keep the rich text editors produce, drop scripts, styles and event handlers."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def _both_languages(message: Any, **params: Any) -> dict[str, str]:
    """A lazy message in French and in English, for push payloads stored in both."""
    result = {}
    for language in ("fr", "en"):
        with translation.override(language):
            result[language] = str(message) % params
    return result
