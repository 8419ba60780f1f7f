"""Photos: EXIF (GPS, names, device) is stripped, and a photo is shown only to those who see its case."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.models import Role
from tests.conftest import Org
from tests.workflows import factories as f
from workflows import services
from workflows.services.photos import clean_image


def _exif_of(data: bytes) -> dict[int, Any]:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif()) | {"info": {k: v for k, v in image.info.items() if k in ("exif", "xmp", "icc_profile", "comment")}}


def test_the_test_image_really_has_gps_and_a_name() -> None:
    exif = _exif_of(f.jpeg_with_exif())
    assert 0x8825 in exif and exif[0x013B] == "Kari Nordmann"


def test_cleaning_removes_every_trace_of_metadata() -> None:
    cleaned, width, height = clean_image(f.jpeg_with_exif((80, 60)))
    assert _exif_of(cleaned) == {"info": {}}
    assert b"Kari" not in cleaned and b"PhoneMaker" not in cleaned
    assert (width, height) == (80, 60)


def test_a_sideways_phone_photo_is_turned_upright() -> None:
    image = Image.new("RGB", (40, 20), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    _cleaned, width, height = clean_image(out.getvalue())
    assert (width, height) == (20, 40)


def test_large_photos_are_scaled_down() -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000)).save(out, format="PNG")
    _cleaned, width, height = clean_image(out.getvalue())
    assert (width, height) == (2048, 512)


def test_a_file_that_is_not_an_image_is_refused(org: Org) -> None:
    with pytest.raises(ValidationError):
        clean_image(b"%PDF-1.4 not an image")
    with pytest.raises(ValidationError):
        f.deviation(org, photos=[b"<svg onload=alert(1)>"])


def test_a_stored_photo_has_no_exif_and_a_random_name(org: Org) -> None:
    photo = f.photo(org, "a")
    data = photo.image.read()
    assert _exif_of(data) == {"info": {}}
    assert photo.image.name == f"workflows/photos/{photo.pk}.jpg"


def test_a_photo_is_shown_only_to_those_who_see_its_deviation(org: Org) -> None:
    photo = f.photo(org, "a")
    url = reverse("photo", kwargs={"photo_id": photo.pk})
    allowed = Client()
    allowed.force_login(org.person(Role.VERNEOMBUD, "a"))
    response = allowed.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert _exif_of(b"".join(response.streaming_content)) == {"info": {}}
    for person in (org.person(Role.EMPLOYEE, "a"), org.person(Role.LEADER, "b"), org.outsider):
        client = Client()
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    assert Client().get(url).status_code == 302  # not logged in


def test_round_finding_photos_follow_the_round_s_access(org: Org) -> None:
    round_ = f.hms_round(org, "a")
    finding = services.finding_add(actor=org.person(Role.VERNEOMBUD, "a"), round_=round_, title="Løs kabel",
                                   photos=[f.jpeg_with_exif()])  # fmt: skip
    photo = finding.photos.get()
    assert _exif_of(photo.image.read()) == {"info": {}}
    url = reverse("photo", kwargs={"photo_id": photo.pk})
    employee = Client()
    employee.force_login(org.person(Role.EMPLOYEE, "a"))  # employees see their unit's rounds
    assert employee.get(url).status_code == 200
    other = Client()
    other.force_login(org.person(Role.EMPLOYEE, "b"))
    assert other.get(url).status_code == 404
