from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from contributions.models import Consultation, Status

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2026, 3, 1, 9, 0, tzinfo=PARIS)
CLOSES = datetime(2026, 4, 1, 18, 0, tzinfo=PARIS)


@pytest.fixture
def consultation(make_consultation):
    return make_consultation(opens_at=OPENS, closes_at=CLOSES, is_published=True)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 3, 1, 8, 59, tzinfo=PARIS), Status.UPCOMING),
        (datetime(2026, 3, 1, 9, 0, tzinfo=PARIS), Status.OPEN),
        (datetime(2026, 4, 1, 17, 59, tzinfo=PARIS), Status.OPEN),
        (datetime(2026, 4, 1, 18, 0, tzinfo=PARIS), Status.CLOSED),
    ],
)
def test_the_status_follows_the_dates(consultation, moment, expected):
    with time_machine.travel(moment, tick=False):
        assert consultation.status == expected
        assert set(Consultation.objects.with_status(expected)) >= {consultation}
        others = [status for status in Status.values if status != expected]
        for status in others:
            assert consultation not in Consultation.objects.with_status(status)


def test_a_published_restitution_wins_over_the_dates(consultation):
    consultation.restitution_published_at = CLOSES
    consultation.save()
    with time_machine.travel(datetime(2026, 5, 1, tzinfo=PARIS), tick=False):
        assert consultation.status == Status.RESTITUTION
        assert list(Consultation.objects.with_status(Status.RESTITUTION).filter(pk=consultation.pk))
        assert consultation not in Consultation.objects.closed()


def test_open_lists_only_published_consultations_open_now(consultation, make_consultation):
    draft = make_consultation("draft", opens_at=OPENS, closes_at=CLOSES)
    with time_machine.travel(datetime(2026, 3, 15, tzinfo=PARIS), tick=False):
        opened = set(Consultation.objects.open())
    assert consultation in opened
    assert draft not in opened


def test_the_api_reports_the_status(consultation, api):
    with time_machine.travel(datetime(2026, 2, 1, tzinfo=PARIS), tick=False):
        upcoming = api.get(f"/api/v1/consultations/{consultation.slug}/").json()
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=PARIS), tick=False):
        closed = api.get(f"/api/v1/consultations/{consultation.slug}/").json()
    assert upcoming["status"] == "upcoming"
    assert closed["status"] == "closed"
    assert closed["participation"]["is_open"] is False
