"""Query-string filters as every list reads them (django-filter), refusing values that the
database cannot hold: a 400 naming the parameter rather than an overflow deep in a query,
and a 400 naming the parameter rather than an empty list for a slug that names nothing."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.utils.functional import Promise

from backend.parsers import parse_int, value_problem


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with numbers within a bigint and dates within 1900-9000."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        for name, value in list(self.form.cleaned_data.items()):
            if (problem := value_problem(value)) is not None:
                self.form.add_error(name, problem)
        return not self.form.errors


class _NamedField(forms.CharField):
    """An object as the API shows it, cleaned to its primary key (one cache key per object).

    ``by_id`` also reads digits as its id (categories show both); a value naming nothing
    is refused, naming the parameter.
    """

    def __init__(
        self, *, model: type[Model], message: Promise, by_id: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.model, self.by_id, self.message = model, by_id, message

    def clean(self, value: Any) -> int | None:
        text = super().clean(value)
        if not text:
            return None
        if "\x00" in text:
            # PostgreSQL cannot even compare a NUL character.
            raise ValidationError(str(self.message))
        pk = parse_int(text, low=1, high=2**63 - 1) if self.by_id else None
        lookup = Q(pk=pk) if pk is not None else Q(slug=text)
        found = self.model.objects.filter(lookup).values_list("pk", flat=True).first()
        if found is None:
            raise ValidationError(str(self.message))
        return found


class NamedFilter(django_filters.CharFilter):
    """Filter by an object named by its slug (or its id, with ``by_id``).

    ``field_name`` is the path to the object's primary key (``consultation_id``), since the
    value is cleaned to it; an unknown slug is a 400 with ``message``. A CharFilter, so the
    schema shows a string rather than the type of that key.
    """

    field_class = _NamedField
