from __future__ import annotations

from datetime import timedelta

import firebase_admin
from firebase_admin import messaging

from push import fcm
from tests.fake_fcm import INVALID_TOKEN, UNAVAILABLE, UNREGISTERED, Reply, quota_exceeded


def payload(**extra) -> fcm.Payload:
    return fcm.Payload(title="Titre", body="Corps", token="tok-1", **extra)


def test_the_private_attributes_used_to_point_firebase_admin_elsewhere_still_exist(fake_fcm):
    app = firebase_admin.initialize_app(
        fcm._StaticCredential(), {"projectId": "check"}, name="attribute-check"
    )
    try:
        service = messaging._get_messaging_service(app)
        assert service._fcm_url.startswith("https://fcm.googleapis.com/v1/projects/check/")
        assert service._fcm_topic_url == (
            "https://fcm.googleapis.com/v1/projects/check/registrations"
        )
        assert service._client.session.adapters
        fcm.point_at(app, fake_fcm.url)
        assert service._fcm_url == f"{fake_fcm.url}/v1/projects/check/messages:send"
    finally:
        firebase_admin.delete_app(app)


def test_a_message_reaches_fcm_with_ttl_and_collapse_key(fake_fcm):
    outcome = fcm.send(payload(collapse_key="signalement-12", ttl=timedelta(hours=2)))
    assert outcome.kind == "sent"
    assert outcome.message_id.startswith("projects/")
    [request] = fake_fcm.sends()
    message = request.body["message"]
    assert message["token"] == "tok-1"
    assert message["notification"] == {"title": "Titre", "body": "Corps"}
    assert message["android"]["collapse_key"] == "signalement-12"
    assert message["android"]["ttl"] == "7200s"
    assert message["apns"]["headers"]["apns-collapse-id"] == "signalement-12"


def test_a_503_then_success_is_sent_once_by_the_library_retry(fake_fcm):
    fake_fcm.answer("tok-1", UNAVAILABLE)
    assert fcm.send(payload()).kind == "sent"
    assert len(fake_fcm.sends()) == 2  # the failed attempt and the one that went through


def test_a_429_carries_its_retry_after(fake_fcm):
    fake_fcm.answer("tok-1", quota_exceeded(120))
    outcome = fcm.send(payload())
    assert outcome.kind == "retry"
    assert outcome.retry_after == timedelta(seconds=120)
    assert len(fake_fcm.sends()) == 1, "the worker, not the library, waits before retrying"


def test_unregistered_is_a_dead_token(fake_fcm):
    fake_fcm.answer("tok-1", UNREGISTERED)
    assert fcm.send(payload()).kind == "dead"


def test_an_invalid_token_is_dead(fake_fcm):
    fake_fcm.answer("tok-1", INVALID_TOKEN)
    assert fcm.send(payload()).kind == "dead"


def test_another_bad_request_is_a_failure_not_a_dead_token(fake_fcm):
    fake_fcm.answer(
        "tok-1",
        Reply(
            400,
            {
                "error": {
                    "code": 400,
                    "status": "INVALID_ARGUMENT",
                    "message": "Invalid JSON payload",
                }
            },
        ),
    )
    assert fcm.send(payload()).kind == "failed"


def test_topic_subscription_reports_each_token(fake_fcm):
    fake_fcm.answer("dead-tok", UNREGISTERED)
    outcomes = fcm.subscribe(["tok-1", "dead-tok"], "p-abc")
    assert outcomes["tok-1"].kind == "sent"
    assert outcomes["dead-tok"].kind == "dead"
    assert fake_fcm.subscriptions["p-abc"] == {"tok-1"}
    fcm.unsubscribe(["tok-1"], "p-abc")
    assert fake_fcm.subscriptions["p-abc"] == set()
