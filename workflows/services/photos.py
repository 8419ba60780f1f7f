"""Photos for deviations and round findings: re-encoded so that no metadata survives.

Phones write EXIF (GPS position, device, time, sometimes the owner's name) into photos. For an
anonymous report that alone could reveal the reporter, so every photo is decoded, turned
upright, copied pixel by pixel into a new image and saved as JPEG: EXIF, XMP, ICC profiles and
comments are all gone. The file gets a random name; the uploaded name is not kept.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from ..models import Deviation, Photo, RoundFinding
from ._common import ValidationError, save

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_SIDE = 2048
MAX_PHOTOS = 5


def clean_image(data: bytes) -> tuple[bytes, int, int]:
    """Decode an image and return (JPEG bytes without any metadata, width, height)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError({"photos": _("Bildet er for stort (høyst 15 MB).")})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError({"photos": _("Bildet har for mange piksler.")})
            probe.load()
            upright = ImageOps.exif_transpose(probe) or probe
            rgb = upright.convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, ValueError):
        raise ValidationError({"photos": _("Filen er ikke et bilde Verne kan lese (bruk JPEG eller PNG).")}) from None
    rgb.thumbnail((MAX_SIDE, MAX_SIDE))
    clean = Image.new("RGB", rgb.size)
    clean.paste(rgb)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue(), clean.width, clean.height


def photo_store(*, parent: Deviation | RoundFinding, upload: UploadedFile | bytes) -> Photo:
    """Store a cleaned photo under its parent. Call inside the parent's service transaction.

    No person is recorded on the photo (the parent's service records who did what, and for an
    anonymous deviation nobody is recorded at all).
    """
    data = upload if isinstance(upload, bytes) else upload.read()
    jpeg, width, height = clean_image(data)
    photo = Photo(width=width, height=height)
    if isinstance(parent, Deviation):
        photo.deviation = parent
    else:
        photo.finding = parent
    photo.image.save(f"{photo.id}.jpg", ContentFile(jpeg), save=False)
    save(photo, None, "added")
    return photo
