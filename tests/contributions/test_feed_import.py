from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from contributions.models import Consultation

pytestmark = pytest.mark.django_db
SOURCE = "https://participer.autre-agglo.example"


@pytest.fixture
def feed_file(api, tmp_path):
    response = api.get("/api/v1/consultations/feed.json")
    assert response.status_code == 200
    path = tmp_path / "feed.json"
    path.write_bytes(response.content)
    return path


def test_the_feed_lists_own_published_consultations_only(api, make_consultation):
    make_consultation("brouillon")
    items = api.get("/api/v1/consultations/feed.json").json()["items"]
    slugs = {item["slug"] for item in items}
    assert "plan-de-mobilite-2035" in slugs
    assert "brouillon" not in slugs
    assert "schema-departemental-velo" not in slugs  # relayed: never relayed again


def test_importing_a_feed_relays_its_consultations_once(feed_file):
    own = Consultation.objects.filter(source="").count()
    expected = len(json.loads(feed_file.read_text())["items"])

    call_command("import_consultations", str(feed_file), source=SOURCE, verbosity=0)
    call_command("import_consultations", str(feed_file), source=SOURCE, verbosity=0)

    imported = Consultation.objects.filter(source=SOURCE)
    assert imported.count() == expected
    assert Consultation.objects.filter(source="").count() == own
    relayed = imported.get(source_id=str(Consultation.objects.get(slug="revision-plu-caveirac").pk))
    assert relayed.is_relayed
    assert relayed.external_url.endswith("/consultation/revision-plu-caveirac")
    assert relayed.organisation.slug == "commune-30075"
    assert list(relayed.communes.values_list("insee_code", flat=True)) == ["30075"]
    assert relayed.contributions_allowed is False
    assert relayed.slug != "revision-plu-caveirac"


def test_a_new_import_updates_what_changed_at_the_source(feed_file):
    call_command("import_consultations", str(feed_file), source=SOURCE, verbosity=0)
    feed = json.loads(feed_file.read_text())
    feed["items"][0]["title"] = "Titre corrigé à la source"
    feed_file.write_text(json.dumps(feed))
    call_command("import_consultations", str(feed_file), source=SOURCE, verbosity=0)
    assert Consultation.objects.get(source=SOURCE, source_id=feed["items"][0]["id"]).title == (
        "Titre corrigé à la source"
    )


def test_a_bad_item_is_skipped_and_the_others_imported(feed_file, capsys):
    feed = json.loads(feed_file.read_text())
    feed["items"][0]["closes_at"] = "not a date"
    feed_file.write_text(json.dumps(feed))
    call_command("import_consultations", str(feed_file), source=SOURCE)
    assert Consultation.objects.filter(source=SOURCE).count() == len(feed["items"]) - 1
    assert "item 0" in capsys.readouterr().err


def test_a_file_that_is_not_a_feed_is_refused(tmp_path):
    path = tmp_path / "feed.json"
    path.write_text("[1, 2]")
    with pytest.raises(CommandError):
        call_command("import_consultations", str(path), verbosity=0)


def test_the_atom_feed_lists_published_consultations(api):
    response = api.get("/api/v1/consultations/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "Plan de mobilité 2035" in response.content.decode()
