"""Texts kept in French and, where given, in English: the one rule that reads them.

A translatable text ``name`` sits beside a blank-able ``name_en``. English readers
(``Accept-Language: en``) get the English text when it is given, everyone else and
English readers of an untranslated text get the French.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from rest_framework import serializers


def english_wanted() -> bool:
    """Whether the active language (the request's, through LocaleMiddleware) is English."""
    return (translation.get_language() or "").split("-")[0] == "en"


def pick(french: str, english: str | None) -> str:
    """The English text when English is wanted and given, else the French."""
    if english and english.strip() and english_wanted():
        return english
    return french


def translated(instance: Any, name: str) -> str:
    """The text of ``instance.<name>`` in the active language (``<name>_en`` for English)."""
    return pick(getattr(instance, name), getattr(instance, f"{name}_en", ""))


class TranslatedField(serializers.CharField):
    """A read-only text in the active language: ``TranslatedField(source="name")``
    serves ``name_en`` to English readers when it is not blank, ``name`` otherwise."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def bind(self, field_name: str, parent: serializers.BaseSerializer) -> None:
        # ``name = TranslatedField(source="name")`` reads as meant: DRF refuses a source
        # equal to the field's name as redundant.
        if self.source == field_name:
            self.source = None
        super().bind(field_name, parent)

    def get_attribute(self, instance: Any) -> str:
        # A dotted source ("category.name") walks to the object holding the text.
        *path, name = self.source_attrs
        for attribute in path:
            instance = getattr(instance, attribute)
        return translated(instance, name)
