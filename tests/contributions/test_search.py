"""Searching consultations with ?q=: whole words, any case, any accent, on every database."""

from __future__ import annotations

import pytest

from contributions.filters import search_words, whole_word_pattern

pytestmark = pytest.mark.django_db


def _found(api, query: str) -> set[str]:
    response = api.get("/api/v1/consultations/", {"q": query, "page_size": 200})
    assert response.status_code == 200
    return {item["slug"] for item in response.json()["results"]}


@pytest.fixture
def plans(open_consultation):
    open_consultation("revision-plu", title="Révision du PLU de Marguerittes")
    open_consultation("eaux-pluviales", title="Bassin de rétention", summary="Un zonage pluvial.")
    open_consultation("plus-de-bus", title="Plus de bus le dimanche")
    open_consultation("ecoles", title="Rythmes scolaires", summary="Les élèves et l'école (PLU).")


def test_a_word_finds_the_consultations_that_hold_it_whole(api, plans):
    found = _found(api, "PLU")
    assert {"revision-plu", "ecoles"} <= found
    assert "eaux-pluviales" not in found
    assert "plus-de-bus" not in found


def test_case_does_not_matter(api, plans):
    assert {"revision-plu", "ecoles"} <= _found(api, "plu")
    assert "eaux-pluviales" in _found(api, "PLUVIAL")


def test_accents_do_not_matter_either_way(api, plans):
    assert "ecoles" in _found(api, "eleves")
    assert "ecoles" in _found(api, "ÉLÈVES")
    assert "ecoles" in _found(api, "ecole")
    assert "revision-plu" in _found(api, "revision")
    assert "eaux-pluviales" in _found(api, "rétention")


def test_every_word_must_appear(api, plans):
    assert _found(api, "plu marguerittes") == {"revision-plu"}
    assert _found(api, "plu dimanche") == set()


def test_punctuation_and_symbols_of_the_query_are_words_apart(api, plans):
    assert "revision-plu" in _found(api, "  PLU,  (Marguerittes) ")
    assert _found(api, ".*") == _found(api, "")
    assert "ecoles" in _found(api, "l'école")


def test_the_english_texts_are_searched_too(api, open_consultation):
    open_consultation("mobilite", title="Plan de mobilité", title_en="Mobility plan")
    assert "mobilite" in _found(api, "mobility")
    assert "mobilite" not in _found(api, "mobil")


def test_words_are_read_without_case_or_accents():
    assert search_words("Élu, PLU  l'été") == ["elu", "plu", "l", "ete"]


def test_the_pattern_matches_whole_words_only():
    import re

    pattern = re.compile(whole_word_pattern("plu"))
    assert pattern.search("Révision du PLU.")
    assert pattern.search("(Plu)")
    assert not pattern.search("pluvial")
    assert not pattern.search("éplu")


def test_a_huge_query_is_cut_to_a_few_short_words(api, plans):
    assert _found(api, "plu " + "x" * 5000) == set()
    assert len(search_words(" ".join(["mot"] * 100))) == 8
    assert {len(word) for word in search_words("a" * 5000)} == {60}
