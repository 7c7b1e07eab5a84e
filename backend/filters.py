"""Query-string filters as every list reads them (django-filter), refusing values that the
database cannot hold: a 400 naming the parameter rather than an overflow deep in a query."""

from __future__ import annotations

import django_filters

from backend.parsers import value_problem


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet, with numbers within a bigint and dates within 1900-9000."""

    def is_valid(self) -> bool:
        if not super().is_valid():
            return False
        for name, value in list(self.form.cleaned_data.items()):
            if (problem := value_problem(value)) is not None:
                self.form.add_error(name, problem)
        return not self.form.errors
