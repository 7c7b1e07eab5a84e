from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from backend.models import User
from contributions import tasks
from contributions.models import Actor, Consultation, OrganisationFollow
from contributions.services.actors import actor_register, actor_validate
from contributions.services.consultations import (
    consultation_alert_opening,
    consultation_open_due,
    consultation_publish,
)
from geo.models import Commune
from push import outbox
from push import services as push
from push.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(fake_fcm, citizen, agglomeration):
    """A phone interested in Nîmes, a follower of the agglomeration and a consenting actor."""
    device, _ = push.device_register(token="tok-nimes", platform="android")
    push.preferences_update(
        preferences=push.effective_preferences(device),
        communes=list(Commune.objects.filter(insee_code="30189")),
    )
    outbox.topics_sync()
    OrganisationFollow.objects.create(organisation=agglomeration, user=citizen)
    actor = actor_register(
        owner=citizen,
        kind=Actor.Kind.ASSOCIATION,
        name="Les Amis de la Fontaine",
        contact_email="amis@example.test",
        communes=list(Commune.objects.filter(insee_code="30189")),
        email_consent=True,
    )
    actor_validate(actor=actor, by=User.objects.get(email="admin@demo.test"))
    return fake_fcm


def alerts(fake_fcm, citizen) -> tuple[int, int, int]:
    """(push broadcasts sent, inbox notifications, emails to the actor) so far."""
    while outbox.deliver_due():
        pass
    return (
        len(fake_fcm.sends()),
        Notification.objects.filter(user=citizen, kind="new_consultation").count(),
        sum(1 for message in mail.outbox if message.to == ["amis@example.test"]),
    )


def test_publishing_an_open_consultation_alerts_everyone_once(audience, citizen, make_consultation):
    consultation = make_consultation()
    assert consultation_publish(consultation=consultation) is True
    assert consultation_publish(consultation=consultation) is False
    assert alerts(audience, citizen) == (1, 1, 1)
    consultation.refresh_from_db()
    assert consultation.opening_alert_sent_at is not None
    [send] = audience.sends()
    assert send.body["message"]["data"]["link_id"] == consultation.slug


def test_the_scheduled_job_alerts_when_the_opening_date_arrives(
    audience, citizen, make_consultation
):
    opens_at = timezone.now() + timedelta(days=2)
    consultation = make_consultation(opens_at=opens_at, closes_at=opens_at + timedelta(days=20))
    consultation_publish(consultation=consultation)
    call_command("open_consultations", verbosity=0)
    assert alerts(audience, citizen) == (0, 0, 0)

    with time_machine.travel(opens_at + timedelta(minutes=5), tick=False):
        call_command("open_consultations", verbosity=0)
        call_command("open_consultations", verbosity=0)
        assert tasks.open_due_consultations.call() == 0
        assert alerts(audience, citizen) == (1, 1, 1)


def test_editing_a_published_consultation_does_not_alert_again(
    audience, citizen, make_consultation
):
    consultation = make_consultation()
    consultation_publish(consultation=consultation)
    consultation.title = "Titre corrigé"
    consultation.save()
    consultation_alert_opening(consultation=consultation)
    consultation_open_due()
    assert alerts(audience, citizen) == (1, 1, 1)


def test_a_draft_or_a_closed_consultation_alerts_nobody(audience, citizen, make_consultation):
    make_consultation("brouillon")
    past = timezone.now() - timedelta(days=90)
    closed = make_consultation("passee", opens_at=past, closes_at=past + timedelta(days=30))
    consultation_open_due()
    consultation_publish(consultation=closed)
    assert alerts(audience, citizen) == (0, 0, 0)


def test_actors_who_did_not_consent_or_are_not_validated_get_no_email(
    audience, citizen, make_consultation
):
    Actor.objects.filter(contact_email="amis@example.test").update(email_consent=False)
    pending = actor_register(
        owner=citizen,
        kind=Actor.Kind.COLLECTIVE,
        name="En attente",
        contact_email="attente@example.test",
        communes=list(Commune.objects.filter(insee_code="30189")),
        email_consent=True,
    )
    consultation_publish(consultation=make_consultation())
    assert alerts(audience, citizen)[2] == 0
    assert not any(message.to == [pending.contact_email] for message in mail.outbox)


def test_actors_are_matched_on_themes_too(audience, citizen, make_consultation):
    consultation_publish(consultation=make_consultation(communes=[], themes=["transports"]))
    while outbox.deliver_due():
        pass
    # "Vélo Nîmes Agglo" of the demo follows the transports theme.
    assert any(m.to == ["contact+association@demo.test"] for m in mail.outbox)
    assert not any(m.to == ["amis@example.test"] for m in mail.outbox)


def test_the_alert_is_keyed_on_the_consultation(audience, make_consultation):
    consultation = make_consultation()
    consultation_publish(consultation=consultation)
    Consultation.objects.filter(pk=consultation.pk).update(opening_alert_sent_at=None)
    # Even if the flag were lost, the broadcast and emails are keyed: still one of each.
    consultation_alert_opening(consultation=consultation)
    while outbox.deliver_due():
        pass
    assert len(audience.sends()) == 1
    assert sum(1 for m in mail.outbox if m.to == ["amis@example.test"]) == 1
