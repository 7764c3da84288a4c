"""The label layout drawn as an image (one pixel per printer dot, times `scale`): what the printer will print,
with the barcodes made by zxing-cpp so the preview scans like the label."""

from __future__ import annotations

import io

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from grading_station.domain.labels import BarcodeBox, LabelLayout, TextBox

_FORMATS = {"code128": zxingcpp.BarcodeFormat.Code128, "datamatrix": zxingcpp.BarcodeFormat.DataMatrix}


def _font(height: int) -> ImageFont.FreeTypeFont:
    # Pillow's own scalable font: the same on every bench PC, no system font needed.
    return ImageFont.load_default(size=height)


def _draw_text(image: Image.Image, box: TextBox) -> None:
    if not box.text:
        return
    font = _font(box.height)
    left, top, right, bottom = font.getbbox(box.text, anchor="la")
    strip = Image.new("L", (max(1, right), box.height + max(0, bottom - box.height)), 255)
    ImageDraw.Draw(strip).text((0, 0), box.text, fill=0, font=font, anchor="la",
                               stroke_width=1 if box.bold else 0, stroke_fill=0)
    if strip.width > box.width:  # the printer's font is condensed: squeeze rather than overflow the box
        strip = strip.resize((box.width, strip.height), Image.Resampling.LANCZOS)
    x = box.x + (box.width - strip.width) // 2 if box.centred else box.x
    image.paste(strip.crop((0, 0, strip.width, min(strip.height, image.height - box.y))), (x, box.y))


def barcode_image(box: BarcodeBox) -> Image.Image:
    """The symbol at its printed size: zxing-cpp's one-pixel-per-module bitmap, enlarged without blurring."""
    # Square Data Matrix, like Zebra's ^BX with rows and columns left to the printer.
    options = {"force_square": True} if box.kind == "datamatrix" else {}
    symbol = zxingcpp.create_barcode(box.data, _FORMATS[box.kind], **options)
    cells = Image.fromarray(np.asarray(symbol.to_image(scale=1, add_quiet_zones=False)))
    if box.kind == "code128":
        return cells.crop((0, 0, cells.width, 1)).resize((cells.width * box.module, box.height),
                                                         Image.Resampling.NEAREST)
    return cells.resize((cells.width * box.module, cells.height * box.module), Image.Resampling.NEAREST)


def render(layout: LabelLayout, scale: int = 1) -> Image.Image:
    """The label in greyscale, white background."""
    image = Image.new("L", (layout.size.width, layout.size.height), 255)
    for box in layout.texts:
        _draw_text(image, box)
    for box in layout.barcodes:
        symbol = barcode_image(box)
        x = (layout.size.width - symbol.width) // 2 if box.kind == "code128" else box.x
        image.paste(symbol, (x, box.y))
    if scale != 1:
        image = image.resize((image.width * scale, image.height * scale), Image.Resampling.NEAREST)
    return image


def render_png(layout: LabelLayout, scale: int = 2) -> bytes:
    out = io.BytesIO()
    render(layout, scale).save(out, "PNG")
    return out.getvalue()
