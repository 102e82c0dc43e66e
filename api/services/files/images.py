"""JPEG and PNG uploads are decoded and encoded again: only the pixels survive.

Re-encoding drops EXIF (GPS position, camera serial, the time a photo was taken), XMP, IPTC and
PNG text chunks, and turns a file that merely starts like an image into a refusal. The EXIF
orientation is applied to the pixels first, so a photo still stands the right way up.
The pixel count is checked from the header, before any pixel is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

JPEG_QUALITY = 90
_JPEG_MODES = frozenset({"L", "RGB", "CMYK"})
_PNG_MODES = frozenset({"1", "L", "LA", "P", "RGB", "RGBA", "I", "I;16"})


class ImageTooLarge(Exception):
    pass


class NotAnImage(Exception):
    pass


@dataclass(frozen=True, slots=True)
class CleanImage:
    data: bytes
    width: int
    height: int


def reencode(source: IO[bytes], media_type: str, max_pixels: int) -> CleanImage:
    """The image's pixels, upright, in a fresh file of the same format (CPU-bound: run in a
    thread)."""
    # Pillow's own bomb guard warns above the limit and refuses above twice it; the explicit
    # check below refuses at the limit itself, before decoding.
    Image.MAX_IMAGE_PIXELS = max_pixels
    fmt = "JPEG" if media_type == "image/jpeg" else "PNG"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source, formats=[fmt]) as opened:
                width, height = opened.size
                if width * height > max_pixels:
                    raise ImageTooLarge(f"{width}x{height}")
                upright = ImageOps.exif_transpose(opened)
                upright.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge(str(error)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise NotAnImage(type(error).__name__) from None
    out = io.BytesIO()
    if fmt == "JPEG":
        pixels = upright if upright.mode in _JPEG_MODES else upright.convert("RGB")
        pixels.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        pixels = upright if upright.mode in _PNG_MODES else upright.convert("RGBA")
        pixels.save(out, "PNG", optimize=False)
    return CleanImage(out.getvalue(), pixels.width, pixels.height)
