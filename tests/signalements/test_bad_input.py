"""Bad input is a clear 400 naming the field, and nothing is saved."""

from __future__ import annotations

import io
import random
import struct
import zlib

import pytest
from PIL import Image

from signalements import images
from signalements.models import Photo, Signalement
from tests.signalements.factories import NIMES, PARIS, category, jpeg_bytes, jpeg_upload, upload

URL = "/api/v1/signalements/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def post(client_for, citizen):
    client = client_for(citizen)

    def send(data: dict, *, multipart: bool = False, **headers: str):
        before = (Signalement.objects.count(), Photo.objects.count())
        response = client.post(URL, data, format="multipart" if multipart else "json", **headers)
        assert response.status_code == 400, response.content
        assert (Signalement.objects.count(), Photo.objects.count()) == before
        return response.json()

    return send


def _form(slug: str = "depot-sauvage", **extra: object) -> dict:
    return {
        "category": category(slug).pk,
        "latitude": str(NIMES[0]),
        "longitude": str(NIMES[1]),
        **extra,
    }


def test_a_point_outside_the_territory_is_refused(post):
    body = post({**_form("chaussee-degradee"), "latitude": PARIS[0], "longitude": PARIS[1]})
    message = ["Ce lieu est hors du territoire de Nîmes Métropole."]
    assert body["fields"] == {"latitude": message, "longitude": message}


def test_the_message_is_in_english_on_request(post):
    body = post(
        {**_form("chaussee-degradee"), "latitude": PARIS[0], "longitude": PARIS[1]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert body["fields"]["latitude"] == ["This place is outside the territory of Nîmes Métropole."]


def test_an_unknown_category_is_refused(post):
    body = post({**_form("chaussee-degradee"), "category": 999999})
    assert body["fields"]["category"] == ["Catégorie inconnue ou inactive."]


def test_an_inactive_category_is_refused(post):
    roads = category("chaussee-degradee")
    roads.is_active = False
    roads.save()
    body = post(_form("chaussee-degradee"))
    assert "category" in body["fields"]


def test_a_missing_required_answer_is_refused(post):
    body = post(_form("fuite-d-eau"))
    assert body["fields"] == {"answers": {"emplacement": ["Une réponse est obligatoire."]}}


def test_an_answer_outside_the_list_is_refused(post):
    body = post({**_form("fuite-d-eau"), "answers": {"emplacement": "au-plafond"}})
    assert list(body["fields"]["answers"]) == ["emplacement"]


def test_an_answer_to_an_unknown_question_is_refused(post):
    body = post({**_form("chaussee-degradee"), "answers": {"couleur": "bleu"}})
    assert list(body["fields"]["answers"]) == ["couleur"]


def test_answers_that_are_not_json_are_refused(post):
    body = post({**_form(), "answers": "{not json", "photos": [jpeg_upload()]}, multipart=True)
    assert "answers" in body["fields"]


def test_a_description_over_4000_characters_is_refused(post):
    body = post({**_form("chaussee-degradee"), "description": "x" * 4001})
    assert "description" in body["fields"]


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(post):
    fake = upload(b"%PDF-1.4 definitely not a picture", "photo.jpg", "image/jpeg")
    body = post({**_form(), "photos": [fake]}, multipart=True)
    assert body["fields"]["photos"] == [
        "photo.jpg n'est pas une photo (JPEG, PNG, WebP ou HEIC attendu)."
    ]


def test_a_truncated_image_is_refused(post):
    content = jpeg_bytes(size=(800, 600))
    body = post({**_form(), "photos": [upload(content[: len(content) // 2])]}, multipart=True)
    assert "photos" in body["fields"]
    assert "incomplet" in body["fields"]["photos"][0]


def _noisy_jpeg(size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A JPEG as heavy as a photo for its size: noise leaves the encoder nothing to spare."""
    noise = Image.effect_noise(size, 64)
    image = Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


@pytest.mark.parametrize("keep", [0.5, 0.99, -2])
def test_a_big_jpeg_cut_anywhere_is_refused(post, keep):
    # The check decodes JPEGs at 1/8 scale: every byte of the compressed data is still read.
    content = _noisy_jpeg()
    end = keep if isinstance(keep, int) else int(len(content) * keep)
    body = post({**_form(), "photos": [upload(content[:end])]}, multipart=True)
    assert "incomplet" in body["fields"]["photos"][0]


def test_a_big_jpeg_damaged_in_the_middle_is_refused(post):
    content = bytearray(_noisy_jpeg())
    middle = len(content) // 2
    content[middle : middle + 1000] = random.Random(7).randbytes(1000)
    body = post({**_form(), "photos": [upload(bytes(content))]}, multipart=True)
    assert "endommagé" in body["fields"]["photos"][0]


def test_a_sound_big_jpeg_is_accepted_with_its_real_size():
    inspected = images.inspect_upload(io.BytesIO(_noisy_jpeg()))
    assert (inspected.format, inspected.width, inspected.height) == ("JPEG", 1600, 1200)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions: enough for Pillow to open it lazily."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


@pytest.mark.parametrize("size", [(8000, 7000), (20000, 20000)])
def test_a_decompression_bomb_is_refused(post, size):
    bomb = upload(_png_header_only(*size), "bomb.png", "image/png")
    body = post({**_form(), "photos": [bomb]}, multipart=True)
    assert "millions de pixels" in body["fields"]["photos"][0]


def test_an_image_just_under_the_pixel_limit_is_not_called_a_bomb():
    from signalements.images import inspect_upload

    image = Image.new("1", (7000, 7000))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    assert inspect_upload(buffer).width == 7000


def test_a_file_over_20_mb_is_refused(post):
    big = upload(b"\xff\xd8" + b"0" * (20 * 1024 * 1024), "big.jpg")
    body = post({**_form(), "photos": [big]}, multipart=True)
    assert "20 Mo" in body["fields"]["photos"][0]


def test_more_than_five_photos_are_refused(post):
    body = post({**_form(), "photos": [jpeg_upload() for _ in range(6)]}, multipart=True)
    assert "photos" in body["fields"]


def test_a_category_that_requires_a_photo_refuses_a_report_without_one(post):
    body = post(_form())
    assert body["fields"]["photos"] == ["Cette catégorie exige une photo."]


def test_no_location_and_no_gps_in_the_photo_is_refused(post):
    body = post(
        {"category": category("depot-sauvage").pk, "photos": [jpeg_upload()]}, multipart=True
    )
    assert set(body["fields"]) == {"latitude", "longitude"}


def test_half_a_location_is_refused(post):
    body = post({"category": category("chaussee-degradee").pk, "latitude": 43.8})
    assert "longitude" in body["fields"]


@pytest.mark.parametrize("latitude", ["abc", "nan", "91", ""])
def test_a_bad_latitude_is_refused(post, latitude):
    body = post({**_form("chaussee-degradee"), "latitude": latitude}, multipart=True)
    assert "latitude" in body["fields"]


def test_no_file_is_written_when_the_input_is_refused(post, settings):
    post(
        {**_form(), "latitude": PARIS[0], "longitude": PARIS[1], "photos": [jpeg_upload()]},
        multipart=True,
    )
    private = settings.SIGNALEMENT_PRIVATE_MEDIA_ROOT
    assert not private.exists() or not any(path.is_file() for path in private.rglob("*"))


@pytest.fixture
def questionnaire(db):
    """A category with one question of each type, none of them required."""
    from signalements.models import Category, Question

    form = Category.objects.create(theme=category("fuite-d-eau").theme, name="Test", slug="test")
    for code, datatype in [
        ("count", "number"),
        ("when", "datetime"),
        ("label", "string"),
        ("kinds", "multivaluelist"),
    ]:
        Question.objects.create(
            category=form,
            code=code,
            datatype=datatype,
            description=code,
            values=[{"key": "a", "name": "A"}, {"key": "b", "name": "B"}],
        )
    return form


@pytest.mark.parametrize(
    "answers",
    [
        {"count": "1e309"},
        {"count": "NaN"},
        {"count": True},
        {"when": "2026-02-31T10:00:00"},
        {"when": "tomorrow"},
        {"label": "zero\x00byte"},
        {"label": {"nested": 1}},
        {"kinds": ["a", "z"]},
    ],
)
def test_odd_answers_are_refused_without_a_crash(post, questionnaire, answers):
    body = post({**_form("chaussee-degradee"), "category": questionnaire.pk, "answers": answers})
    assert "answers" in body["fields"]


def test_good_answers_of_every_type_are_kept(client_for, citizen, questionnaire):
    answers = {
        "count": "3",
        "when": "2026-11-02T08:30:00+01:00",
        "label": " x ",
        "kinds": ["a", "b"],
    }
    response = client_for(citizen).post(
        URL, {**_form("chaussee-degradee"), "category": questionnaire.pk, "answers": answers}
    )
    assert response.status_code == 201, response.json()
    assert Signalement.objects.get(pk=response.json()["id"]).answers == {
        "count": 3.0,
        "when": "2026-11-02T08:30:00+01:00",
        "label": "x",
        "kinds": ["a", "b"],
    }
