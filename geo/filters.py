"""Map boxes as every list and map reads them: four finite WGS84 numbers, or a clear 400."""

from __future__ import annotations

from django.contrib.gis.geos import Polygon
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework_gis.filters import InBBoxFilter as GisInBBoxFilter

from backend.parsers import parse_float

BBox = tuple[float, float, float, float]


def parse_bbox(text: str) -> BBox:
    """``min_lon,min_lat,max_lon,max_lat`` as numbers; ValidationError when it is not one."""
    parts = str(text).split(",")
    numbers = [parse_float(part) for part in parts]
    if len(numbers) != 4 or None in numbers:
        raise serializers.ValidationError(
            _("Give four numbers: min longitude, min latitude, max longitude, max latitude.")
        )
    min_x, min_y, max_x, max_y = numbers  # type: ignore[misc]
    if not (-180 <= min_x < max_x <= 180 and -90 <= min_y < max_y <= 90):
        raise serializers.ValidationError(_("The box is not a valid WGS84 rectangle."))
    return min_x, min_y, max_x, max_y


class InBBoxFilter(GisInBBoxFilter):
    """rest_framework_gis's ``?in_bbox=`` filter, refusing NaN, infinities and inverted boxes
    with a 400 naming the parameter (GEOS cannot build a ring of NaN)."""

    def get_filter_bbox(self, request: Request) -> Polygon | None:
        text = request.query_params.get(self.bbox_param, None)
        if not text:
            return None
        try:
            box = parse_bbox(text)
        except serializers.ValidationError as error:
            raise serializers.ValidationError({self.bbox_param: error.detail}) from error
        return Polygon.from_bbox(box)
