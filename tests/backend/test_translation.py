"""A translatable text reads in English when asked and given, in French otherwise."""

from __future__ import annotations

from types import SimpleNamespace

from django.utils import translation
from rest_framework import serializers

from backend.translation import TranslatedField, pick, translated


class _Texts(serializers.Serializer):
    name = TranslatedField(source="name")
    title = TranslatedField(source="inner.title")


def _thing(name_en: str = "") -> SimpleNamespace:
    inner = SimpleNamespace(title="Voirie", title_en="Roads")
    return SimpleNamespace(name="Nid-de-poule", name_en=name_en, inner=inner)


def test_english_readers_get_the_english_text_when_given():
    with translation.override("en"):
        assert _Texts(_thing("Pothole")).data == {"name": "Pothole", "title": "Roads"}


def test_french_readers_always_get_the_french_text():
    with translation.override("fr"):
        assert _Texts(_thing("Pothole")).data == {"name": "Nid-de-poule", "title": "Voirie"}


def test_a_blank_english_text_falls_back_to_the_french():
    with translation.override("en"):
        assert translated(_thing("  "), "name") == "Nid-de-poule"
        assert pick("Trou", None) == "Trou"


def test_a_regional_english_counts_as_english():
    with translation.override("en-gb"):
        assert pick("Trou", "Hole") == "Hole"


def test_the_field_is_read_only():
    assert _Texts().fields["name"].read_only


def test_the_source_may_be_left_out_when_it_is_the_fields_name():
    class Named(serializers.Serializer):
        name = TranslatedField()

    with translation.override("en"):
        assert Named(_thing("Pothole")).data == {"name": "Pothole"}
