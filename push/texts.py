"""The texts of a notification, in every language it is stored in."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise

# A notification keeps its title and body in these languages (``title_fr``, ``title_en``...).
LANGUAGES = ("fr", "en")


def bilingual(message: str | Promise, **params: Any) -> dict[str, str]:
    """The message in French and in English, as ``notify`` and ``broadcast`` take it.

    A lazy gettext message is rendered in each language, then filled with ``params``
    (lazy params are rendered in the same language). Text typed by people, such as the
    title of a consultation, is the same in both.
    """
    texts = {}
    for language in LANGUAGES:
        with translation.override(language):
            text = str(message)
            texts[language] = text % params if params else text
    return texts
