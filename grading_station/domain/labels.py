"""A grade label: its fields, its size, and where each element goes in printer dots (ZPL and the preview draw
the same layout). Texts come worded by the caller (the domain does not translate)."""

from __future__ import annotations

from dataclasses import dataclass

from grading_station.domain.label_fit import cut, fit_model

from grading_station.errors import InputError

# Average advance of a character of Zebra's font 0 (CG Triumvirate Bold Condensed) as a share of its height,
# rounded up so a line of capitals still fits: the fit rules count characters, not glyph widths.
CHAR_WIDTH = 0.55
QUIET_MODULES = 10  # Code 128 needs ten blank modules each side to scan


@dataclass(frozen=True)
class LabelSize:
    """A label stock: its size on the roll and the printer's resolution."""

    key: str
    width_mm: float
    height_mm: float
    dpi: int = 203

    def at(self, dpi: int) -> LabelSize:
        return LabelSize(self.key, self.width_mm, self.height_mm, dpi)

    @property
    def width(self) -> int:
        return round(self.width_mm / 25.4 * self.dpi)

    @property
    def height(self) -> int:
        return round(self.height_mm / 25.4 * self.dpi)


SIZES = {size.key: size for size in (
    LabelSize("50x25mm", 50, 25),
    LabelSize("2x1in", 50.8, 25.4),
    LabelSize("57x32mm", 57, 32),
    LabelSize("4x2in", 101.6, 50.8),
)}


@dataclass(frozen=True)
class LabelFields:
    """What one label says. `id_caption` names the code ("IMEI" or "S/N"); `lines` are the small lines
    under the grade (battery · date, the station)."""

    serial: str
    id_caption: str
    model: str
    grade: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class TextBox:
    x: int
    y: int
    width: int  # the box the text must stay in
    height: int  # font height in dots
    text: str
    bold: bool = False
    centred: bool = False


@dataclass(frozen=True)
class BarcodeBox:
    """A Code 128 (`kind` "code128": `module` = narrow bar width, `height` = bar height) or a Data Matrix
    (`kind` "datamatrix": `module` = cell size, `height` = its side), with its top-left corner."""

    kind: str
    x: int
    y: int
    module: int
    height: int
    data: str


@dataclass(frozen=True)
class LabelLayout:
    size: LabelSize
    texts: tuple[TextBox, ...]
    barcodes: tuple[BarcodeBox, ...]


def max_chars(width: int, height: int) -> int:
    return max(1, int(width / (height * CHAR_WIDTH)))


def code128_modules(data: str) -> int:
    """Width in modules of `data` as Code 128 with digit runs packed in code set C (what an automatic
    encoder such as Zebra's ^BC mode A or zxing does), quiet zones excluded."""
    symbols, mode, i = 1, "", 0  # the start symbol
    while i < len(data):
        run = 0
        while i + run < len(data) and data[i + run].isdigit():
            run += 1
        if run >= 4 or (run >= 2 and run == len(data) - i and i == 0):
            symbols += (1 if mode and mode != "C" else 0) + run // 2
            mode, i = "C", i + run - run % 2
        else:
            symbols += (1 if mode and mode != "B" else 0) + 1
            mode, i = "B", i + 1
    return (symbols + 1) * 11 + 13  # + the check symbol, then the stop symbol (13 modules)


# ECC 200 square symbols: (side in modules, data codewords it holds)
_DATAMATRIX = ((10, 3), (12, 5), (14, 8), (16, 12), (18, 18), (20, 22), (22, 30), (24, 36), (26, 44),
               (32, 62), (36, 86), (40, 114), (44, 144))


def datamatrix_side(data: str) -> int:
    """Side in modules of the smallest square ECC 200 symbol holding `data` in ASCII encodation."""
    codewords, i = 0, 0
    while i < len(data):
        pair = data[i:i + 2]
        i += 2 if len(pair) == 2 and pair.isdigit() and pair.isascii() else 1
        codewords += 1 if ord(data[i - 1]) < 128 else len(data[i - 1].encode("utf-8")) * 2
    for side, capacity in _DATAMATRIX:
        if codewords <= capacity:
            return side
    raise InputError(f"The code {data} is too long for a Data Matrix on a label.")


def lay_out(fields: LabelFields, size: LabelSize) -> LabelLayout:
    """Place the model (two lines), the grade, the small lines, the Data Matrix (top right) and the Code 128
    with its caption (bottom). Heights are shares of the label height, so every size keeps the proportions.
    InputError when the serial cannot be printed scannable on this label."""
    w, h = size.width, size.height
    margin = max(4, round(h * 0.05))
    model_h, grade_h, small_h = round(h * 0.11), round(h * 0.14), round(h * 0.09)
    bar_h, caption_h = round(h * 0.18), round(h * 0.08)

    side = datamatrix_side(fields.serial)
    cell = max(2, min(round(h / 50), (h * 45 // 100) // side))
    matrix = BarcodeBox("datamatrix", w - margin - side * cell, margin, cell, side * cell, fields.serial)

    modules = code128_modules(fields.serial)
    bar = next((m for m in (3, 2, 1) if m <= max(1, round(h / 100)) and (modules + 2 * QUIET_MODULES) * m <= w),
               None)
    if bar is None:
        raise InputError(f"The serial {fields.serial} is too long for a scannable barcode on a "
                         f"{size.key} label: choose a wider label.")
    caption_y = h - margin - caption_h
    bar_y = caption_y - 2 - bar_h
    code = BarcodeBox("code128", (w - modules * bar) // 2, bar_y, bar, bar_h, fields.serial)

    column = matrix.x - margin // 2 - margin
    texts: list[TextBox] = []
    y = margin
    for line in fit_model(fields.model, max_chars(column, model_h), 2):
        texts.append(TextBox(margin, y, column, model_h, line, bold=True))
        y += model_h + 2
    y = margin + 2 * (model_h + 2)  # fixed rows: one-line and two-line models print alike below
    texts.append(TextBox(margin, y, column, grade_h, cut(fields.grade, max_chars(column, grade_h)), bold=True))
    y += grade_h + 2
    for line in fields.lines[:2]:
        texts.append(TextBox(margin, y, column, small_h, cut(line, max_chars(column, small_h))))
        y += small_h + 2
    caption = cut(f"{fields.id_caption} {fields.serial}", max_chars(w - 2 * margin, caption_h))
    texts.append(TextBox(margin, caption_y, w - 2 * margin, caption_h, caption, centred=True))
    return LabelLayout(size, tuple(texts), (code, matrix))
