"""The discovery document."""

from __future__ import annotations

import pytest

from tests.open311.helpers import FORMATS, body, get, parse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", FORMATS)
def test_it_describes_the_endpoint(api, fmt):
    response = get(api, "discovery", fmt)

    assert response.status_code == 200
    discovery = body(response, fmt)
    assert discovery["contact"]
    assert discovery["changeset"]
    [endpoint] = discovery["endpoints"]
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["formats"] == ["text/xml", "application/json"]


def test_the_xml_root_is_discovery(api):
    assert parse(get(api, "discovery", "xml"), "xml")["root"] == "discovery"
