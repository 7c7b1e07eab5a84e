from __future__ import annotations

import logging
from datetime import timedelta

import firebase_admin
from firebase_admin import exceptions, messaging

from push import fcm
from tests.fake_fcm import (
    INVALID_TOKEN,
    UNAVAILABLE,
    UNREGISTERED,
    FakeFCM,
    Reply,
    quota_exceeded,
)


def payload(**extra) -> fcm.Payload:
    return fcm.Payload(**{"title": "Titre", "body": "Corps", "token": "tok-1", **extra})


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
        assert callable(messaging._MessagingService.encode_message)  # send_many's check
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


def test_send_many_gives_each_message_its_outcome_in_order(fake_fcm):
    fake_fcm.answer("tok-dead", UNREGISTERED)
    fake_fcm.answer("tok-busy", quota_exceeded(60))
    payloads = [
        payload(),
        fcm.Payload(title="T", body="B", token="tok-dead"),
        fcm.Payload(title="T", body="B", token="tok-busy"),
        fcm.Payload(title="T", body="B", token="tok-2"),
    ]
    outcomes = fcm.send_many(payloads)
    assert [o.kind for o in outcomes] == ["sent", "dead", "retry", "sent"]
    assert outcomes[2].retry_after == timedelta(seconds=60)
    assert outcomes[0].message_id != outcomes[3].message_id
    assert sorted(r.target for r in fake_fcm.sends()) == ["tok-1", "tok-2", "tok-busy", "tok-dead"]


def test_send_many_fails_a_message_the_library_refuses_and_sends_the_others(fake_fcm):
    refused = fcm.Payload(title="T", body="B", token="tok-bad", data={"count": 3})  # not a str
    outcomes = fcm.send_many([payload(), refused, fcm.Payload(title="T", body="B", token="t2")])
    assert [o.kind for o in outcomes] == ["sent", "failed", "sent"]
    assert outcomes[1].reason.startswith("ValueError")
    assert sorted(r.target for r in fake_fcm.sends()) == ["t2", "tok-1"]


def test_send_many_maps_a_whole_call_error_to_every_message(fake_fcm, monkeypatch):
    def down(messages, dry_run=False, app=None):
        raise exceptions.UnavailableError("FCM is down")

    monkeypatch.setattr(messaging, "send_each", down)
    outcomes = fcm.send_many([payload(), payload(token="tok-2")])
    assert [o.kind for o in outcomes] == ["retry", "retry"]


def test_send_many_on_the_console_logs_each(settings, caplog):
    settings.PUSH_BACKEND = "console"
    with caplog.at_level(logging.INFO, logger="push.fcm"):
        outcomes = fcm.send_many([payload(), payload(token="tok-2")])
    assert [o.kind for o in outcomes] == ["sent", "sent"]
    assert len([r for r in caplog.records if "push to token" in r.getMessage()]) == 2


def test_a_chunk_bigger_than_the_default_pool_discards_no_connection(settings, caplog):
    fake = FakeFCM(delay=0.05, keep_alive=True).start()
    settings.PUSH_BACKEND = "fcm"
    settings.FCM_PROJECT_ID = "agglo-test"
    settings.FCM_ENDPOINT = fake.url
    settings.PUSH_SEND_CHUNK = 150
    try:
        with caplog.at_level(logging.WARNING, logger="urllib3"):
            outcomes = fcm.send_many([payload(token=f"tok-{i}") for i in range(150)])
        adapter = messaging._get_messaging_service(fcm._app())._client.session.adapters["http://"]
    finally:
        fake.stop()
    assert [o.kind for o in outcomes] == ["sent"] * 150
    assert adapter._pool_maxsize >= 150
    assert not [r for r in caplog.records if "pool is full" in r.getMessage()]


def test_the_proxy_and_ca_variables_are_read_once_and_still_apply(monkeypatch, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_text("")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(bundle))
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    app = firebase_admin.initialize_app(
        fcm._StaticCredential(), {"projectId": "check"}, name="environment-check"
    )
    try:
        fcm._read_the_environment_once(app)
        session = messaging._get_messaging_service(app)._client.session
        assert session.trust_env is False
        assert session.proxies["https"] == "http://proxy.example:3128"
        assert session.verify == str(bundle)
    finally:
        firebase_admin.delete_app(app)
