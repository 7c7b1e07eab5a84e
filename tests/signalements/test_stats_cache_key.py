"""The public figures are kept per set of known filters, whatever else the address carries."""

from __future__ import annotations

from unittest import mock

import pytest

from signalements.models import Category
from signalements.selectors import stats as stats_selectors

pytestmark = pytest.mark.django_db
URL = "/api/v1/stats/signalements/"


@pytest.fixture
def computed(settings):
    """Figures kept five minutes; counts how often they are really computed."""
    settings.STATS_CACHE_SECONDS = 300
    with mock.patch.object(
        stats_selectors,
        "signalement_figures",
        autospec=True,
        side_effect=stats_selectors.signalement_figures,
    ) as spy:
        yield spy


def test_junk_parameters_hit_the_same_cache_entry(api, computed):
    first = api.get(URL, {"commune": "30258"})
    assert first.status_code == 200
    for junk in (
        {"commune": "30258", "nonce": "1"},
        {"commune": "30258", "nonce": "2", "_": "1733000000"},
        {"commune": "30258", "utm_source": "x" * 500},
        {"commune": "30258", "category": ""},
    ):
        response = api.get(URL, junk)
        assert response.status_code == 200
        assert response.json() == first.json()
    assert computed.call_count == 1


def test_the_same_filters_written_differently_share_an_entry(api, computed):
    pothole = Category.objects.get(slug="chaussee-degradee")
    first = api.get(URL, {"since": "2026-01-01T00:00:00+01:00", "category": str(pothole.pk)})
    again = api.get(URL, {"category": pothole.slug, "since": "2025-12-31T23:00:00Z"})
    assert (first.status_code, again.status_code) == (200, 200)
    assert computed.call_count == 1


def test_other_filters_are_computed_apart(api, computed):
    api.get(URL, {"commune": "30258"})
    api.get(URL, {"commune": "30189"})
    api.get(URL, {"commune": "30258", "category": "chaussee-degradee"})
    assert computed.call_count == 3


def test_a_bad_filter_is_still_a_400_naming_it(api, computed):
    response = api.get(URL, {"since": "hier", "junk": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["since"]
    assert computed.call_count == 0
