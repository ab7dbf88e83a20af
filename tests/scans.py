"""Scanned pages made in the test: text drawn into an image with Pillow, saved as an image-only PDF (no text layer, no
font) or as an image file, at 300 dpi as a scanner would."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parent.parent / "static" / "pdf" / "fonts" / "LiberationSerif-Regular.ttf"
DPI = 300


def page_image(lines: list[str], *, size: tuple[int, int] = (2550, 3300)) -> Image.Image:
    """A Letter page at 300 dpi with `lines` printed in 16 pt type (large enough for Tesseract at this resolution)."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 66)
    for n, line in enumerate(lines):
        draw.text((250, 300 + n * 110), line, font=font, fill=0)
    return image


def scanned_pdf(pages: list[list[str]]) -> bytes:
    """An image-only PDF, one page per list of lines."""
    images = [page_image(lines) for lines in pages]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=DPI)
    return out.getvalue()


def scanned_image(lines: list[str], *, format: str = "PNG", dpi: int | None = DPI) -> bytes:
    out = io.BytesIO()
    image = page_image(lines)
    if format == "JPEG":
        image = image.convert("RGB")
    image.save(out, format=format, **({"dpi": (dpi, dpi)} if dpi else {}))
    return out.getvalue()
