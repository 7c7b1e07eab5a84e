"""Import commune boundaries from any file GDAL reads (GeoJSON, Shapefile, GeoPackage...).

The default field names are those of IGN's ADMIN EXPRESS. Every feature is
checked before anything is written; a re-import updates communes in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSGeometry
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from backend.models import Organisation
from geo.services import commune_upsert

POLYGONAL = {"Polygon", "MultiPolygon"}


@dataclass
class Row:
    insee_code: str
    name: str
    population: int | None
    postcodes: list[str] | None
    geometry: GEOSGeometry


class Command(BaseCommand):
    help = "Import or update communes from a GeoJSON, Shapefile or GeoPackage file."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path of the file to read.")
        parser.add_argument("--layer", default="0", help="Layer name or index (default: 0).")
        parser.add_argument("--insee-field", default="INSEE_COM")
        parser.add_argument("--name-field", default="NOM")
        parser.add_argument(
            "--population-field", default="POPULATION", help="Empty to skip populations."
        )
        parser.add_argument("--postcode-field", default="", help="Optional field of postcodes.")

    def handle(self, *args, **options):
        layer = self._open_layer(options["file"], options["layer"])
        wanted = {
            "--insee-field": options["insee_field"],
            "--name-field": options["name_field"],
            "--population-field": options["population_field"],
            "--postcode-field": options["postcode_field"],
        }
        missing = [
            f"{field} ({option})"
            for option, field in wanted.items()
            if field and field not in layer.fields
        ]
        if missing:
            raise CommandError(
                f"Missing field(s) in layer '{layer.name}': {', '.join(missing)}. "
                f"Available fields: {', '.join(layer.fields)}. "
                "Use the --*-field options to map other names. Nothing was changed."
            )
        rows = self._read(layer, options)
        created = updated = 0
        with transaction.atomic():
            for row in tqdm(rows, desc="communes", unit="commune", disable=None):
                organisation = Organisation.objects.filter(
                    kind=Organisation.Kind.COMMUNE, insee_code=row.insee_code
                ).first()
                _, is_new = commune_upsert(
                    insee_code=row.insee_code,
                    name=row.name,
                    geometry=row.geometry,
                    population=row.population,
                    postcodes=row.postcodes,
                    organisation=organisation,
                )
                created += is_new
                updated += not is_new
        self.stdout.write(self.style.SUCCESS(f"{created} commune(s) created, {updated} updated."))

    def _open_layer(self, path: str, layer: str):
        try:
            source = DataSource(path)
        except GDALException as error:
            raise CommandError(f"Cannot read '{path}': {error}. Nothing was changed.") from error
        try:
            return source[int(layer) if layer.isdigit() else layer]
        except (IndexError, KeyError, GDALException) as error:
            raise CommandError(f"No layer '{layer}' in '{path}'. Nothing was changed.") from error

    def _read(self, layer, options) -> list[Row]:
        rows = []
        for index, feature in enumerate(layer, start=1):
            geometry = feature.geom
            if geometry is None or geometry.geom_type.name.removesuffix("25D") not in POLYGONAL:
                kind = geometry.geom_type.name if geometry is not None else "none"
                raise CommandError(
                    f"Feature {index}: geometry type {kind}, expected Polygon or MultiPolygon. "
                    "Nothing was changed."
                )
            insee = str(feature.get(options["insee_field"]) or "").strip()
            if len(insee) != 5:
                raise CommandError(
                    f"Feature {index}: INSEE code '{insee}' is not 5 characters. "
                    "Nothing was changed."
                )
            name = str(feature.get(options["name_field"]) or "").strip()
            if not name:
                raise CommandError(f"Feature {index} ({insee}): empty name. Nothing was changed.")
            population = None
            if options["population_field"]:
                value = feature.get(options["population_field"])
                try:
                    population = int(value) if value not in (None, "") else None
                except (TypeError, ValueError) as error:
                    raise CommandError(
                        f"Feature {index} ({insee}): population '{value}' is not a number. "
                        "Nothing was changed."
                    ) from error
            postcodes = None
            if options["postcode_field"]:
                raw = str(feature.get(options["postcode_field"]) or "")
                postcodes = [code.strip() for code in raw.replace(";", ",").split(",") if code]
            if geometry.coord_dim == 3:
                geometry.coord_dim = 2
            geos = geometry.geos
            if geos.srid is None:
                geos.srid = 4326
            if not geos.valid:
                # A zero-width buffer mends self-intersections and keeps a polygonal type.
                geos = geos.buffer(0)
            rows.append(Row(insee, name, population, postcodes, geos))
        if not rows:
            raise CommandError(f"Layer '{layer.name}' has no feature. Nothing was changed.")
        return rows
