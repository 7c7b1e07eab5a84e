from __future__ import annotations

import pytest

from signalements.models import Follow
from tests.signalements.factories import file_report

pytestmark = pytest.mark.django_db


def test_the_data_export_holds_my_reports_and_what_i_support(client_for, citizen, other_citizen):
    mine = file_report(other_citizen, anonymous=True, address="1 rue de la Paix")
    supported = file_report(citizen)
    Follow.objects.create(signalement=supported, user=other_citizen)

    archive = client_for(other_citizen).get("/api/v1/me/export/").json()

    section = archive["signalements"]
    assert [report["id"] for report in section["reports"]] == [mine.pk]
    assert section["reports"][0]["address"] == "1 rue de la Paix"
    assert section["reports"][0]["anonymous"] is True
    assert section["supported_reports"] == [supported.pk]
    assert "citoyen@demo.test" not in str(archive)
