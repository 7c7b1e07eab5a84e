from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from backend.filters import FilterSet
from contributions.models import Consultation, Status


class ConsultationFilter(FilterSet):
    status = django_filters.ChoiceFilter(
        choices=Status.choices, method="filter_status", label=_("status")
    )
    commune = django_filters.CharFilter(
        field_name="communes__insee_code", label=_("INSEE code of a commune"), distinct=True
    )
    theme = django_filters.CharFilter(field_name="themes__slug", label=_("theme"), distinct=True)
    organisation = django_filters.CharFilter(
        field_name="organisation__slug", label=_("organisation")
    )
    kind = django_filters.ChoiceFilter(choices=Consultation.Kind.choices, label=_("kind"))
    q = django_filters.CharFilter(method="filter_text", label=_("text search"))

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
        words = value.split()[:8]
        for word in words:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset
