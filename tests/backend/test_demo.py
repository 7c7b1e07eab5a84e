from __future__ import annotations

import pytest
from django.apps import apps
from django.core.management import call_command

pytestmark = pytest.mark.django_db

MODELS = [
    "backend.User",
    "backend.Organisation",
    "backend.Direction",
    "backend.Membership",
    "backend.OrganisationRole",
    "geo.Commune",
]


def counts() -> dict[str, int]:
    return {name: apps.get_model(name).objects.count() for name in MODELS}


def test_load_demo_twice_gives_the_same_counts():
    before = counts()
    call_command("load_demo", verbosity=0)
    assert counts() == before
    assert before["geo.Commune"] == 39


def test_each_commune_has_its_organisation_and_services_techniques():
    Commune = apps.get_model("geo.Commune")
    for commune in Commune.objects.select_related("organisation"):
        assert commune.organisation.insee_code == commune.insee_code
        assert commune.organisation.directions.filter(name="Services techniques").exists()
