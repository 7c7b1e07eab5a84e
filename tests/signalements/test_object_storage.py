"""Photos in object storage (STORAGE=s3), against an S3-protocol server on 127.0.0.1.

moto's server plays the provider: two buckets, the public one for derivatives, the private
one for the originals. Every URL the API gives for a photo is fetched over HTTP.
"""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from collections.abc import Iterator

import boto3
import environ
import pytest
from django.core.files.storage import storages
from django.db import connection
from moto.server import ThreadedMotoServer

from backend.object_storage import check_object_storage, public_prefix, storages_setting
from signalements import photos, privacy
from signalements.models import Photo
from signalements.selectors.geojson import features_in_database
from tests.signalements.factories import NIMES, SAINT_GILLES, category, jpeg_bytes, upload

pytestmark = pytest.mark.django_db

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

PUBLIC, PRIVATE = "agglo-public", "agglo-private"
URL = "/api/v1/signalements/"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{PUBLIC}/*",
        }
    ],
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def _environment(monkeypatch, endpoint: str, **extra: str) -> environ.Env:
    values = {
        "STORAGE": "s3",
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": "eu-west-3",
        "S3_ACCESS_KEY_ID": "agglo",
        "S3_SECRET_ACCESS_KEY": "agglo-secret",
        "S3_PUBLIC_BUCKET": PUBLIC,
        "S3_PRIVATE_BUCKET": PRIVATE,
        **extra,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return environ.Env()


@pytest.fixture
def s3(s3_server, settings, monkeypatch):
    """STORAGE=s3 for this test: both buckets new and empty, every file field on them."""
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-3",
        aws_access_key_id="agglo",
        aws_secret_access_key="agglo-secret",
    )
    for bucket in (PUBLIC, PRIVATE):
        for item in (
            client.list_objects_v2(Bucket=bucket).get("Contents", [])
            if _exists(client, bucket)
            else []
        ):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        if not _exists(client, bucket):
            client.create_bucket(
                Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"}
            )
    # As the README says to set it up: anyone may read the public bucket's objects.
    client.put_bucket_policy(Bucket=PUBLIC, Policy=json.dumps(PUBLIC_READ))
    settings.STORAGES = storages_setting(_environment(monkeypatch, s3_server))
    # The originals' field took its storage when the model was loaded (a callable storage).
    monkeypatch.setattr(
        Photo._meta.get_field("original"), "storage", storages["signalements_private"]
    )
    return client


def _exists(client, bucket: str) -> bool:
    return any(b["Name"] == bucket for b in client.list_buckets()["Buckets"])


def _keys(client, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _file(client_for, citizen, *, slug: str = "depot-sauvage", at=NIMES) -> dict:
    photo = jpeg_bytes(size=(1200, 900), gps=at)
    response = client_for(citizen).post(
        URL,
        {
            "category": category(slug).pk,
            "latitude": at[0],
            "longitude": at[1],
            "description": "Dépôt sauvage derrière le gymnase",
            "photos": [upload(photo, "IMG_2041.jpg")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_original_goes_to_the_private_bucket_and_the_derivatives_to_the_public_one(
    s3, client_for, citizen, settings, django_capture_on_commit_callbacks
):
    # Every upload through a temporary file, as a phone's photo of several MB goes.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = _file(client_for, citizen)
    photo = Photo.objects.get(signalement_id=report["id"])
    assert _keys(s3, PRIVATE) == [photo.original.name]
    assert _keys(s3, PUBLIC) == []

    # The task the commit queues, run by the task backend as a worker would.
    settings.TASKS = IMMEDIATE
    for callback in callbacks:
        callback()

    photo.refresh_from_db()
    assert photo.status == Photo.Status.READY
    assert sorted(_keys(s3, PUBLIC)) == sorted([photo.large.name, photo.thumbnail.name])
    # Kept (SIGNALEMENT_KEEP_ORIGINALS), privately, with its metadata as sent.
    assert _keys(s3, PRIVATE) == [photo.original.name]
    original = s3.get_object(Bucket=PRIVATE, Key=photo.original.name)["Body"].read()
    assert b"Exif" in original[:200]


def test_the_api_gives_public_urls_that_serve_the_photos(s3, client_for, citizen, s3_server):
    report = _file(client_for, citizen)
    photos.photo_process(photo_id=Photo.objects.get(signalement_id=report["id"]).pk)

    detail = client_for(None).get(f"{URL}{report['id']}/").json()
    listed = client_for(None).get(URL, {"page_size": 5}).json()["results"]
    urls = [detail["photos"][0]["large_url"], detail["photos"][0]["thumbnail_url"]]
    assert urls == [
        next(r for r in listed if r["id"] == report["id"])["photos"][0][key]
        for key in ("large_url", "thumbnail_url")
    ]
    for url in urls:
        assert url.startswith(f"{s3_server}/{PUBLIC}/")
        assert "?" not in url  # public objects: no signature, cacheable by a CDN
        assert _get(url)[:3] == b"\xff\xd8\xff"
    for body in (detail, listed):
        assert PRIVATE not in str(body)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database writes the GeoJSON on PostGIS"
)
def test_the_geojson_written_by_the_database_points_to_the_bucket(s3, client_for, citizen):
    report = _file(client_for, citizen)
    photos.photo_process(photo_id=Photo.objects.get(signalement_id=report["id"]).pk)
    assert features_in_database()

    page = client_for(None).get(URL, {"format": "geojson", "page_size": 5}).json()
    from_database = next(f for f in page["features"] if f["id"] == report["id"])
    detail = client_for(None).get(f"{URL}{report['id']}/").json()
    assert (
        from_database["properties"]["photos"][0]["large_url"] == (detail["photos"][0]["large_url"])
    )
    assert _get(from_database["properties"]["photos"][0]["large_url"])[:3] == b"\xff\xd8\xff"


def test_a_public_url_from_a_cdn(s3, s3_server, settings, monkeypatch):
    settings.STORAGES = storages_setting(
        _environment(monkeypatch, s3_server, S3_PUBLIC_URL="https://photos.example.fr/media")
    )
    assert public_prefix() == "https://photos.example.fr/media/"
    assert storages["default"].url("signalements/photos/a.jpg") == (
        "https://photos.example.fr/media/signalements/photos/a.jpg"
    )


def test_originals_are_reached_only_by_signed_urls_that_expire(s3, s3_server, settings):
    # The provider checks the signature and its expiry; ours is that the URL is signed,
    # expires after S3_SIGNED_URL_SECONDS and works, and that the object is not public.
    private = storages["signalements_private"]
    name = private.save("signalements/originals/test.jpg", upload(jpeg_bytes(), "a.jpg"))
    url = private.url(name)
    assert url.startswith(f"{s3_server}/{PRIVATE}/")
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert _get(url)[:3] == b"\xff\xd8\xff"
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(url.split("?")[0])
    assert refused.value.code == 403


def test_a_signed_bucket_for_public_files_falls_back_to_the_serializer(s3, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "querystring_auth": True},
        },
    }
    assert public_prefix() is None
    assert not features_in_database()


def test_two_buckets_are_required_and_distinct(settings, monkeypatch):
    settings.STORAGES = storages_setting(_environment(monkeypatch, "", S3_PRIVATE_BUCKET=""))
    assert [e.id for e in check_object_storage()] == ["storage.E001"]
    settings.STORAGES = storages_setting(_environment(monkeypatch, "", S3_PRIVATE_BUCKET=PUBLIC))
    assert [e.id for e in check_object_storage()] == ["storage.E002"]
    settings.STORAGES = storages_setting(_environment(monkeypatch, ""))
    assert check_object_storage() == []


def test_an_unknown_storage_kind_is_refused(monkeypatch):
    monkeypatch.setenv("STORAGE", "s4")
    with pytest.raises(ValueError, match="STORAGE"):
        storages_setting(environ.Env())


def test_local_files_by_default(monkeypatch):
    monkeypatch.delenv("STORAGE", raising=False)
    assert storages_setting(environ.Env()) is None


def test_an_agent_of_the_direction_gets_the_original_through_a_signed_url(
    s3, s3_server, client_for, citizen, agent_voirie
):
    report = _file(client_for, citizen, slug="chaussee-degradee", at=SAINT_GILLES)
    photo = photos.photo_process(photo_id=Photo.objects.get(signalement_id=report["id"]).pk)
    path = f"/api/v1/agent/signalements/{report['id']}/photos/{photo.pk}/original/"

    response = client_for(agent_voirie).get(path)

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed = response["Location"]
    assert signed.startswith(f"{s3_server}/{PRIVATE}/{photo.original.name}?")
    assert "X-Amz-Signature=" in signed and "X-Amz-Expires=300" in signed
    original = _get(signed)
    assert original == s3.get_object(Bucket=PRIVATE, Key=photo.original.name)["Body"].read()
    assert b"Exif" in original[:200]
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get(signed.split("?")[0])
    assert refused.value.code == 403
    # The agents' own view of the report gives only the public derivatives.
    body = client_for(agent_voirie).get(f"/api/v1/agent/signalements/{report['id']}/").content
    assert PRIVATE.encode() not in body and b"originals" not in body


def test_residents_and_other_directions_never_get_the_original(
    s3, client_for, citizen, other_citizen, agent_eau
):
    report = _file(client_for, citizen, slug="chaussee-degradee", at=SAINT_GILLES)
    photo = Photo.objects.get(signalement_id=report["id"])
    path = f"/api/v1/agent/signalements/{report['id']}/photos/{photo.pk}/original/"
    assert client_for(None).get(path).status_code == 401
    for person, status in ((citizen, 403), (other_citizen, 403), (agent_eau, 404)):
        response = client_for(person).get(path)
        assert response.status_code == status, person
        assert "Location" not in response


def test_an_original_dropped_after_processing_leaves_the_bucket(s3, client_for, citizen, settings):
    settings.SIGNALEMENT_KEEP_ORIGINALS = False
    report = _file(client_for, citizen)
    photo = photos.photo_process(photo_id=Photo.objects.get(signalement_id=report["id"]).pk)
    assert photo.status == Photo.Status.READY
    assert _keys(s3, PRIVATE) == []
    assert len(_keys(s3, PUBLIC)) == 2


def test_erasing_an_account_deletes_its_originals_from_the_bucket(s3, client_for, citizen):
    report = _file(client_for, citizen)
    photos.photo_process(photo_id=Photo.objects.get(signalement_id=report["id"]).pk)
    assert len(_keys(s3, PRIVATE)) == 1

    privacy.erase(citizen)

    assert _keys(s3, PRIVATE) == []
    # The report stays, anonymous, with its public photos.
    assert len(_keys(s3, PUBLIC)) == 2
    assert Photo.objects.get(signalement_id=report["id"]).original.name == ""


def test_with_local_files_the_original_is_streamed_to_the_agent(client_for, citizen, agent_voirie):
    report = _file(client_for, citizen, slug="chaussee-degradee", at=SAINT_GILLES)
    photo = Photo.objects.get(signalement_id=report["id"])
    path = f"/api/v1/agent/signalements/{report['id']}/photos/{photo.pk}/original/"

    response = client_for(agent_voirie).get(path)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    with photo.original.open("rb") as source:
        assert b"".join(response.streaming_content) == source.read()
