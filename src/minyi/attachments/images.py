"""Images re-encoded without their metadata (EXIF with GPS, camera, owner; XMP; comments) before they are stored."""

from __future__ import annotations

import io
import warnings

from PIL import Image, ImageOps

from minyi.attachments.rules import CheckedFile
from minyi.errors import InvalidInput

MAX_PIXELS = 40_000_000  # a 40-megapixel photo; more is a decompression bomb
KEEP = frozenset({"duration", "loop", "transparency", "background"})  # how frames play, nothing about anyone
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/gif": "GIF", "image/webp": "WEBP"}


def _broken() -> InvalidInput:
    return InvalidInput("图片文件已损坏或过大", "the image is damaged or too large", field="files")


def _drop_info(img: Image.Image) -> None:
    for key in list(img.info):
        if key not in KEEP:
            del img.info[key]


def strip_metadata(file: CheckedFile) -> CheckedFile:
    """The same picture, turned upright by its EXIF orientation, saved again with no metadata at all."""
    fmt = FORMATS[file.content_type]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(file.data), formats=[fmt]) as img:
                if img.width * img.height > MAX_PIXELS:
                    raise _broken()
                frames = getattr(img, "n_frames", 1)
                out = io.BytesIO()
                if frames > 1:  # animated GIF/WebP: keep the frames, drop the rest
                    _drop_info(img)
                    img.save(out, format=fmt, save_all=True)
                else:
                    clean = ImageOps.exif_transpose(img)
                    _drop_info(clean)
                    if fmt == "JPEG" and clean.mode not in ("RGB", "L", "CMYK"):
                        clean = clean.convert("RGB")
                    params = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
                    clean.save(out, format=fmt, **params)
    except InvalidInput:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _broken() from None
    return CheckedFile(file.name, file.content_type, out.getvalue())
