"""Texts of notifications: one helper renders a message in French and English."""

from __future__ import annotations

import ast
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy

from push.texts import bilingual

ROOT = Path(__file__).resolve().parents[2]


def test_a_lazy_message_is_rendered_in_french_and_english():
    assert bilingual(gettext_lazy("Your report was acknowledged")) == {
        "fr": "Votre signalement a été pris en compte",
        "en": "Your report was acknowledged",
    }


def test_params_are_filled_after_translation():
    assert bilingual(gettext_lazy("Report #%(number)s is yours"), number=12) == {
        "fr": "Signalement #12 vous est confié",
        "en": "Report #12 is yours",
    }


def test_a_lazy_param_is_rendered_in_the_language_of_each_text():
    title = gettext_lazy("The problem is resolved")
    assert bilingual(gettext_lazy("%(title)s (#%(number)s)"), title=title, number=3) == {
        "fr": "Le problème est résolu (#3)",
        "en": "The problem is resolved (#3)",
    }


def test_text_typed_by_people_is_the_same_in_both_and_never_formatted():
    assert bilingual("Vélos : 100 % des pistes") == {
        "fr": "Vélos : 100 % des pistes",
        "en": "Vélos : 100 % des pistes",
    }


def test_the_active_language_is_left_as_it_was():
    with translation.override("en"):
        bilingual(gettext_lazy("Your report is closed"))
        assert translation.get_language() == "en"


def _hand_built(path: Path) -> list[str]:
    """Dict literals keyed by a language code, and switches to English, in one module."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict) and any(
            isinstance(key, ast.Constant) and key.value in ("fr", "en") for key in node.keys
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "override"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "en"
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_no_module_builds_bilingual_texts_by_hand():
    modules = [
        path
        for app in ("signalements", "contributions", "push")
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path.name != "texts.py"
    ]
    found = [place for path in modules for place in _hand_built(path)]
    assert found == []
