"""A refused answer names the attribute[code] the client sent, never an internal field."""

from __future__ import annotations

import pytest

from tests.open311.helpers import FORMATS, assert_error, post
from tests.signalements.factories import NIMES

pytestmark = pytest.mark.django_db


def _form(key: str, **extra: object) -> dict[str, object]:
    return {
        "api_key": key,
        "service_code": "fuite-d-eau",
        "lat": NIMES[0],
        "long": NIMES[1],
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_missing_required_attribute_is_named(api, fmt, client_key):
    description = assert_error(post(api, "requests", fmt, _form(client_key)), fmt, 400)

    assert description.startswith("attribute[emplacement]: ")
    assert "answers" not in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_value_not_in_the_list_is_named(api, fmt, client_key):
    form = _form(client_key, **{"attribute[emplacement]": "lune"})

    description = assert_error(post(api, "requests", fmt, form), fmt, 400)

    assert description.startswith("attribute[emplacement]: ")
    assert "answers" not in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_attribute_the_service_lacks_is_named(api, fmt, client_key):
    form = _form(client_key, **{"attribute[emplacement]": "trottoir", "attribute[couleur]": "bleu"})

    description = assert_error(post(api, "requests", fmt, form), fmt, 400)

    assert description.startswith("attribute[couleur]: ")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_number_attribute_is_named(api, fmt, client_key):
    form = {
        "api_key": client_key,
        "service_code": "depot-sauvage",
        "lat": NIMES[0],
        "long": NIMES[1],
        "media_url": "https://images.example.test/depot.jpg",
        "attribute[volume]": "beaucoup",
    }

    description = assert_error(post(api, "requests", fmt, form), fmt, 400)

    assert description.startswith("attribute[volume]: ")
