"""The one gateway to Firebase Cloud Messaging (firebase-admin).

Everything else in the project speaks to FCM through ``send``, ``send_many`` (many
messages at once), ``subscribe`` and ``unsubscribe`` and gets back plain outcomes, never
firebase-admin exceptions.

Backends (``PUSH_BACKEND``): ``console`` logs what would be sent; ``fcm`` sends
through firebase-admin with the service-account file named by
``FCM_CREDENTIALS_FILE``. ``FCM_ENDPOINT`` points the real library at another
server (a fake FCM on 127.0.0.1 in tests and benchmarks).
"""

from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parsedate_to_datetime

import firebase_admin
import google.oauth2.credentials
from django.conf import settings
from django.utils import timezone
from firebase_admin import credentials, exceptions, messaging
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from backend.parsers import parse_int

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_apps: dict[tuple, firebase_admin.App] = {}
_console_ids = itertools.count(1)
# Error codes of topic calls that mean the token will never work again.
DEAD_TOPIC_ERRORS = {"UNREGISTERED", "NOT_FOUND", "SENDER_ID_MISMATCH", "INVALID_ARGUMENT"}
# Most messages firebase-admin's send_each takes in one call (one thread each).
MAX_BATCH = 500


@dataclass(frozen=True)
class Payload:
    """What a push message says and to whom (one token or one topic)."""

    title: str
    body: str
    data: dict[str, str] = field(default_factory=dict)
    token: str = ""
    topic: str = ""
    collapse_key: str = ""
    ttl: timedelta | None = None


@dataclass(frozen=True)
class Outcome:
    """sent, retry (transient: try again later), dead (the token is gone) or failed."""

    kind: str
    message_id: str = ""
    reason: str = ""
    retry_after: timedelta | None = None


class _StaticCredential(credentials.Base):
    """A fixed OAuth token, for talking to a fake FCM that checks none."""

    def get_credential(self) -> google.oauth2.credentials.Credentials:
        return google.oauth2.credentials.Credentials(token="fake-fcm-token")


def _app() -> firebase_admin.App:
    config = (
        settings.FCM_CREDENTIALS_FILE,
        settings.FCM_PROJECT_ID,
        settings.FCM_ENDPOINT,
        settings.FCM_RETRY_BACKOFF,
        _pool_size(),
    )
    with _lock:
        if config not in _apps:
            _apps[config] = _initialise(*config[:3])
        return _apps[config]


def _pool_size() -> int:
    """Kept-alive connections per app: at least one per message ``send_many`` sends at once."""
    return max(100, min(settings.PUSH_SEND_CHUNK, MAX_BATCH))


def _initialise(credentials_file: str, project_id: str, endpoint: str) -> firebase_admin.App:
    credential = (
        credentials.Certificate(credentials_file) if credentials_file else _StaticCredential()
    )
    options = {"httpTimeout": 10}
    if project_id:
        options["projectId"] = project_id
    app = firebase_admin.initialize_app(credential, options, name=f"agglo-{len(_apps)}")
    if endpoint:
        point_at(app, endpoint)
    _own_the_retry_after(app)
    _read_the_environment_once(app)
    return app


def _read_the_environment_once(app: firebase_admin.App) -> None:
    """Read the proxy and CA-bundle variables once, not for every message.

    requests looks them up (and ~/.netrc) again on every request, about a tenth of the
    CPU a message costs; they are the same for every request to the FCM host.
    """
    service = messaging._get_messaging_service(app)
    session = service._client.session
    environment = session.merge_environment_settings(service._fcm_url, {}, None, None, None)
    session.proxies.update(environment["proxies"])
    session.verify = environment["verify"]
    session.trust_env = False


def _own_the_retry_after(app: firebase_admin.App) -> None:
    """Keep the library's quick retries of 500/503 but not its sleeping on ``Retry-After``.

    Left alone, urllib3 sleeps through a 429's Retry-After (often a minute, four
    times) inside the call, holding a worker; the outbox schedules the retry instead.
    """
    session = messaging._get_messaging_service(app)._client.session
    retry = Retry(
        connect=1,
        read=1,
        status=4,
        status_forcelist=[500, 503],
        backoff_factor=settings.FCM_RETRY_BACKOFF,
        raise_on_status=False,
        allowed_methods=None,
        respect_retry_after_header=False,
    )
    # send_many sends up to _pool_size() messages at once, each in its own thread: the pool
    # must hold that many connections, or urllib3 discards the extra ones after each call.
    size = _pool_size()
    for prefix in list(session.adapters):
        session.mount(
            prefix, HTTPAdapter(pool_connections=100, pool_maxsize=size, max_retries=retry)
        )


def point_at(app: firebase_admin.App, endpoint: str) -> None:
    """Send the app's FCM calls to ``endpoint`` (same paths as fcm.googleapis.com).

    firebase-admin offers no setting for this; these private attributes are its
    URLs (checked by tests/push/test_gateway.py).
    """
    service = messaging._get_messaging_service(app)
    project = app.project_id
    service._fcm_url = f"{endpoint}/v1/projects/{project}/messages:send"
    service._fcm_topic_url = f"{endpoint}/v1/projects/{project}/registrations"


def _message(payload: Payload) -> messaging.Message:
    ttl = payload.ttl if payload.ttl is None or payload.ttl.total_seconds() > 0 else timedelta(0)
    apns_headers = {}
    if payload.collapse_key:
        apns_headers["apns-collapse-id"] = payload.collapse_key[:64]
    if ttl is not None:
        expiry = timezone.now() + ttl
        apns_headers["apns-expiration"] = str(int(expiry.timestamp()))
    webpush_headers = {"TTL": str(int(ttl.total_seconds()))} if ttl is not None else {}
    if payload.collapse_key:
        webpush_headers["Topic"] = payload.collapse_key[:32]
    return messaging.Message(
        notification=messaging.Notification(title=payload.title, body=payload.body),
        data=payload.data,
        token=payload.token or None,
        topic=payload.topic or None,
        android=messaging.AndroidConfig(
            collapse_key=payload.collapse_key or None, ttl=ttl, priority="high"
        ),
        apns=messaging.APNSConfig(headers=apns_headers or None),
        webpush=messaging.WebpushConfig(headers=webpush_headers or None),
    )


def _retry_after(error: exceptions.FirebaseError) -> timedelta | None:
    response = getattr(error, "http_response", None)
    value = response.headers.get("Retry-After") if response is not None else None
    if not value:
        return None
    if (seconds := parse_int(value, low=0)) is not None:
        return timedelta(seconds=seconds)
    try:
        return max(parsedate_to_datetime(value) - timezone.now(), timedelta(0))
    except (TypeError, ValueError):
        return None


def _outcome_of(error: exceptions.FirebaseError) -> Outcome:
    reason = f"{type(error).__name__}: {error}"[:500]
    if isinstance(error, messaging.UnregisteredError | messaging.SenderIdMismatchError):
        return Outcome("dead", reason=reason)
    if isinstance(error, exceptions.InvalidArgumentError) and "registration token" in str(error):
        return Outcome("dead", reason=reason)
    if isinstance(error, messaging.QuotaExceededError | exceptions.ResourceExhaustedError):
        return Outcome("retry", reason=reason, retry_after=_retry_after(error))
    if isinstance(
        error,
        exceptions.UnavailableError
        | exceptions.InternalError
        | exceptions.DeadlineExceededError
        | exceptions.UnknownError,
    ):
        return Outcome("retry", reason=reason, retry_after=_retry_after(error))
    return Outcome("failed", reason=reason)


def send(payload: Payload) -> Outcome:
    """Send one message to a token or a topic."""
    if settings.PUSH_BACKEND == "console":
        target = f"topic {payload.topic}" if payload.topic else f"token …{payload.token[-8:]}"
        logger.info("push to %s: %s — %s %s", target, payload.title, payload.body, payload.data)
        return Outcome("sent", message_id=f"console-{next(_console_ids)}")
    try:
        message_id = messaging.send(_message(payload), app=_app())
    except exceptions.FirebaseError as error:
        return _outcome_of(error)
    except ValueError as error:  # the library refused the message itself
        return Outcome("failed", reason=f"ValueError: {error}"[:500])
    return Outcome("sent", message_id=message_id)


def send_many(payloads: list[Payload]) -> list[Outcome]:
    """Send several messages at once; the outcome of each, in the same order.

    firebase-admin's ``send_each`` sends them concurrently (one thread per message, at
    most ``_pool_size()`` at a time here, so that every thread has a kept-alive connection).
    """
    if not payloads:
        return []
    if settings.PUSH_BACKEND == "console":
        return [send(payload) for payload in payloads]
    app = _app()
    outcomes: list[Outcome] = []
    size = _pool_size()
    for start in range(0, len(payloads), size):
        outcomes += _send_each(payloads[start : start + size], app)
    return outcomes


def _send_each(payloads: list[Payload], app: firebase_admin.App) -> list[Outcome]:
    messages = [_message(payload) for payload in payloads]
    try:
        responses = messaging.send_each(messages, app=app).responses
    except exceptions.FirebaseError as error:
        return [_outcome_of(error)] * len(messages)
    except ValueError as error:
        return _send_the_valid(payloads, messages, error, app)
    return [_outcome_of_response(response) for response in responses]


def _send_the_valid(
    payloads: list[Payload],
    messages: list[messaging.Message],
    error: ValueError,
    app: firebase_admin.App,
) -> list[Outcome]:
    """``send_each`` refused the call: it checks every message before sending any, so
    nothing went out. The messages it refuses fail; the others are sent."""
    outcomes: list[Outcome] = [Outcome("failed", reason=f"ValueError: {error}"[:500])] * len(
        messages
    )
    valid = []
    for index, message in enumerate(messages):
        try:
            messaging._MessagingService.encode_message(message)
        except ValueError as refused:
            outcomes[index] = Outcome("failed", reason=f"ValueError: {refused}"[:500])
        else:
            valid.append(index)
    if len(valid) < len(messages):
        sent = _send_each([payloads[index] for index in valid], app) if valid else []
        for index, outcome in zip(valid, sent, strict=True):
            outcomes[index] = outcome
    return outcomes


def _outcome_of_response(response: messaging.SendResponse) -> Outcome:
    if response.exception is not None:
        return _outcome_of(response.exception)
    # A 2xx answer: FCM took the message (even without the id it should carry).
    return Outcome("sent", message_id=response.message_id or "")


def _topic_call(tokens: list[str], topic: str, subscribe: bool) -> dict[str, Outcome]:
    if not tokens:
        return {}
    if settings.PUSH_BACKEND == "console":
        verb = "subscribe" if subscribe else "unsubscribe"
        logger.info("push: %s %d device(s) to topic %s", verb, len(tokens), topic)
        return {token: Outcome("sent") for token in tokens}
    call = messaging.subscribe_to_topic if subscribe else messaging.unsubscribe_from_topic
    outcomes = {token: Outcome("sent") for token in tokens}
    try:
        response = call(tokens, topic, app=_app())
    except exceptions.FirebaseError as error:
        return {token: _outcome_of(error) for token in tokens}
    for error in response.errors:
        reason = str(error.reason)
        outcomes[tokens[error.index]] = Outcome(
            "dead" if reason in DEAD_TOPIC_ERRORS else "retry", reason=reason[:500]
        )
    return outcomes


def subscribe(tokens: list[str], topic: str) -> dict[str, Outcome]:
    """Subscribe tokens to a topic (at most 1000 per call); the outcome of each token."""
    return _topic_call(tokens, topic, subscribe=True)


def unsubscribe(tokens: list[str], topic: str) -> dict[str, Outcome]:
    return _topic_call(tokens, topic, subscribe=False)
