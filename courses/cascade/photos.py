"""Evidence photos of replica sessions: checked whole and stored without their metadata.

Only JPEG, PNG and WebP are accepted, up to :data:`MAX_PHOTO_BYTES`; HEIC (what iPhones take by
default) is recognised and refused with its own message, since Pillow cannot read it and a
phone can be told to share a JPEG instead. The image is decoded and encoded again: EXIF (GPS
position, the phone's serial, the time), XMP and text chunks do not survive, the orientation
the EXIF asked for is applied first, and large photos are scaled down to
:data:`MAX_PHOTO_SIDE`. What is stored is always the re-encoded file, never the upload."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTO_SIDE = 1600
# Decoding a small file into an enormous bitmap is an attack (a "decompression bomb").
MAX_PIXELS = 40_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# ISO-BMFF brands of HEIC/HEIF files, at bytes 8–12 after "ftyp" at 4–8.
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    format: str  # JPEG, PNG or WEBP
    width: int
    height: int


def _is_heif(head: bytes) -> bool:
    return head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS


def photo_clean(data: bytes) -> CleanPhoto:
    """The photo re-encoded without metadata, or ValidationError (code ``photo``) saying why."""
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(
            _("The photo is larger than %(max)s MB: send a smaller one.")
            % {"max": MAX_PHOTO_BYTES // (1024 * 1024)},
            code="photo",
        )
    if _is_heif(data[:16]):
        raise ValidationError(
            _(
                "HEIC photos cannot be used. On the phone, choose “Most compatible” (JPEG) in "
                "the camera settings, or share the photo as JPEG."
            ),
            code="photo",
        )
    not_an_image = ValidationError(_("The file is not a JPEG, PNG or WebP photo."), code="photo")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            width, height = probe.size
            if kind not in FORMATS:
                raise not_an_image
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The photo has too many pixels."), code="photo")
            probe.verify()  # a truncated or corrupt file fails here
        with Image.open(io.BytesIO(data)) as image:
            image = ImageOps.exif_transpose(image)
            image.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE))
            if kind == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            out = io.BytesIO()
            options = {"optimize": True} if kind == "PNG" else {"quality": 85}
            image.save(out, format=kind, **options)  # no exif=, no pnginfo=: nothing copied
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None
    return CleanPhoto(
        content=ContentFile(out.getvalue(), name=f"foto.{FORMATS[kind]}"),
        format=kind,
        width=image.width,
        height=image.height,
    )
