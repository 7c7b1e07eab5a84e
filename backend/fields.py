"""Serializer fields of the API where DRF's own let a value overflow."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from backend.parsers import datetime_in_range


class DateTimeField(serializers.DateTimeField):
    """DRF's DateTimeField, refusing instants outside 1900-9000: DRF's conversion to the
    server's time zone overflows on "0001-01-01" or "9999-12-31T23:59:59-12:00"."""

    def to_internal_value(self, value: Any) -> datetime:
        try:
            parsed = super().to_internal_value(value)
        except OverflowError:
            parsed = None
        if parsed is None or not datetime_in_range(parsed):
            raise serializers.ValidationError(_("Give a date between the years 1900 and 9000."))
        return parsed
