"""Query-string filters of the consultation lists."""

from __future__ import annotations

import re
import unicodedata

import django_filters
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.filters import FilterSet, NamedFilter
from backend.models import Organisation
from contributions.models import (
    Consultation,
    ContactMessage,
    Contribution,
    ModerationDecision,
    Status,
    Theme,
)

# Each base letter with its accented forms. Patterns spell both cases and every accent out so
# that they mean the same on PostgreSQL and SQLite, whatever the collation or locale.
_ACCENTED = {
    "a": "aàâäáãå",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïíì",
    "n": "nñ",
    "o": "oôöóòõ",
    "u": "uùûüú",
    "y": "yÿý",
}
# What counts as part of a word: a match must not touch one of these on either side.
_WORD_CHARACTER = "0-9A-Za-zÀ-ÖØ-öø-ÿŒœ"
MAX_SEARCH_WORDS = 8
# Longer than any word of a title: a longer one matches nothing, cut so the pattern stays small.
MAX_WORD_LENGTH = 60
SEARCHED_TEXTS = ("title", "summary", "title_en", "summary_en")


def search_words(text: str) -> list[str]:
    """The words of a query, lower case and without accents ("Élu, PLU" -> ["elu", "plu"])."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return [word[:MAX_WORD_LENGTH] for word in re.findall(r"\w+", plain)[:MAX_SEARCH_WORDS]]


def whole_word_pattern(word: str) -> str:
    """A regular expression matching ``word`` as a whole word, in any case, with any accent."""
    classes = []
    for character in word:
        variants = _ACCENTED.get(character, character)
        if character.isalpha():
            variants += "".join(v.upper() for v in variants if len(v.upper()) == 1)
        classes.append(f"[{re.escape(variants)}]" if len(variants) > 1 else re.escape(variants))
    return f"(^|[^{_WORD_CHARACTER}]){''.join(classes)}([^{_WORD_CHARACTER}]|$)"


def consultation_filter(field_name: str) -> NamedFilter:
    """A consultation by its slug; ``field_name`` leads to its id."""
    return NamedFilter(
        field_name=field_name,
        model=Consultation,
        message=_("Unknown consultation: give its slug."),
        label=_("slug of a consultation"),
    )


def organisation_filter(field_name: str, label: Promise | None = None) -> NamedFilter:
    """An organisation by its slug; ``field_name`` leads to its id."""
    return NamedFilter(
        field_name=field_name,
        model=Organisation,
        message=_("Unknown organisation: give its slug."),
        label=label or _("slug of an organisation"),
    )


class ConsultationFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="filter_status", label=_("status")
    )
    commune = django_filters.CharFilter(
        field_name="communes__insee_code", label=_("INSEE code of a commune"), distinct=True
    )
    theme = NamedFilter(
        field_name="themes",
        model=Theme,
        message=_("Unknown theme: give its slug."),
        label=_("theme"),
        distinct=True,
    )
    organisation = organisation_filter("organisation_id", _("organisation"))
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices, label=_("kind"))
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("words that must all appear, whole, in the title or the summary"),
    )

    class Meta:
        model = Consultation
        fields = ["status", "commune", "theme", "organisation", "kind", "q"]

    def filter_status(
        self, queryset: QuerySet[Consultation], name: str, value: str
    ) -> QuerySet[Consultation]:
        return queryset.with_status(value)

    def filter_text(
        self, queryset: QuerySet[Consultation], name: str, value: str
    ) -> QuerySet[Consultation]:
        """Every word of the query, as a whole word, in a title or a summary (either language)."""
        for word in search_words(value):
            pattern = whole_word_pattern(word)
            matches = Q()
            for text in SEARCHED_TEXTS:
                matches |= Q(**{f"{text}__regex": pattern})
            queryset = queryset.filter(matches)
        return queryset


class ModerationQueueFilter(FilterSet):
    state = django_filters.ChoiceFilter(
        choices=[("pending", _("pending moderation")), ("flagged", _("hidden by flags"))],
        method="filter_state",
        label=_("pending (first review) or flagged (hidden by flags)"),
    )
    consultation = consultation_filter("consultation_id")
    organisation = organisation_filter("consultation__organisation_id")

    class Meta:
        model = Contribution
        fields = ["state", "consultation", "organisation"]

    def filter_state(
        self, queryset: QuerySet[Contribution], name: str, value: str
    ) -> QuerySet[Contribution]:
        if value == "pending":
            return queryset.filter(state=Contribution.State.PENDING)
        return queryset.filter(flagged_at__isnull=False)


class ModerationLogFilter(FilterSet):
    consultation = consultation_filter("contribution__consultation_id")
    organisation = organisation_filter("organisation_id")

    class Meta:
        model = ModerationDecision
        fields = ["consultation", "organisation"]


class ContactMessageFilter(FilterSet):
    status = django_filters.ChoiceFilter(choices=ContactMessage.Status.choices, label=_("status"))
    consultation = consultation_filter("consultation_id")
    organisation = organisation_filter("organisation_id")

    class Meta:
        model = ContactMessage
        fields = ["status", "consultation", "organisation"]
