from __future__ import annotations

import json
import subprocess

import pytest
from django.core.management import CommandError, call_command

from geo.models import Commune

pytestmark = pytest.mark.django_db


def square(x: float, y: float, size: float = 0.01) -> list:
    return [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]


def feature(insee: str, name: str, population, geometry: dict, **extra) -> dict:
    properties = {"INSEE_COM": insee, "NOM": name, "POPULATION": population, **extra}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write(path, *features) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": list(features)}))
    return str(path)


@pytest.fixture
def admin_express(tmp_path) -> str:
    return write(
        tmp_path / "communes.geojson",
        feature(
            "30189", "Nîmes (IGN)", 148561, {"type": "Polygon", "coordinates": square(4.3, 43.8)}
        ),
        feature(
            "30999",
            "Nouvelle-Commune",
            12,
            {"type": "MultiPolygon", "coordinates": [square(5.0, 44.0)]},
        ),
    )


def test_it_creates_and_updates_by_insee_code(admin_express):
    before = Commune.objects.count()
    call_command("import_communes", admin_express, verbosity=0)
    assert Commune.objects.count() == before + 1
    nimes = Commune.objects.get(insee_code="30189")
    assert (nimes.name, nimes.population) == ("Nîmes (IGN)", 148561)
    assert nimes.organisation is not None, "the commune keeps its organisation"
    assert nimes.geometry.contains(nimes.geometry.centroid)
    assert Commune.objects.get(insee_code="30999").geometry.geom_type == "MultiPolygon"


def test_a_second_import_changes_nothing_more(admin_express):
    call_command("import_communes", admin_express, verbosity=0)
    count = Commune.objects.count()
    call_command("import_communes", admin_express, verbosity=0)
    assert Commune.objects.count() == count


def test_other_field_names_can_be_mapped(tmp_path):
    path = write(
        tmp_path / "other.geojson",
        {
            "type": "Feature",
            "properties": {"code": "30189", "libelle": "Nîmes remappée"},
            "geometry": {"type": "Polygon", "coordinates": square(4.3, 43.8)},
        },
    )
    call_command(
        "import_communes",
        path,
        "--insee-field=code",
        "--name-field=libelle",
        "--population-field=",
        verbosity=0,
    )
    assert Commune.objects.get(insee_code="30189").name == "Nîmes remappée"


def test_a_geopackage_in_lambert_93_is_reprojected(tmp_path, admin_express):
    target = tmp_path / "communes.gpkg"
    subprocess.run(
        ["ogr2ogr", "-f", "GPKG", "-t_srs", "EPSG:2154", str(target), admin_express],
        check=True,
    )
    call_command("import_communes", str(target), verbosity=0)
    nimes = Commune.objects.get(insee_code="30189")
    assert abs(nimes.geometry.extent[0] - 4.3) < 1e-6


def test_a_missing_field_stops_with_a_clear_message_and_changes_nothing(tmp_path):
    path = write(
        tmp_path / "bad.geojson",
        {
            "type": "Feature",
            "properties": {"INSEE_COM": "30189", "NAME": "Nîmes"},
            "geometry": {"type": "Polygon", "coordinates": square(4.3, 43.8)},
        },
    )
    with pytest.raises(CommandError, match="NOM"):
        call_command("import_communes", path, verbosity=0)
    assert Commune.objects.get(insee_code="30189").name == "Nîmes"


def test_a_wrong_geometry_type_stops_and_changes_nothing(tmp_path):
    path = write(
        tmp_path / "points.geojson",
        feature("30189", "Changed", 1, {"type": "Polygon", "coordinates": square(4.3, 43.8)}),
        feature("30036", "Point", 1, {"type": "Point", "coordinates": [4.3, 43.8]}),
    )
    with pytest.raises(CommandError, match="Point"):
        call_command("import_communes", path, verbosity=0)
    assert Commune.objects.get(insee_code="30189").name == "Nîmes"


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    path = tmp_path / "garbage.geojson"
    path.write_text("this is not geojson")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_communes", str(path), verbosity=0)
