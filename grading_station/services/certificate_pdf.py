"""The buyer's certificate as a one-page A4 PDF (fpdf2) in the buyer's language: the unit, its grade and what it
means, battery, checks, photos, warranty and a QR code to verify it. Slow imports: load it off the GUI thread.

A Unicode TTF (DejaVu Sans, else Liberation Sans or Arial) carries every accented letter of the shipped
languages; without one the PDF falls back to Helvetica and Latin-1 (é, ä, ñ still show; “ ” œ € are replaced).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import numpy as np
import zxingcpp
from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image, ImageOps, UnidentifiedImageError

from grading_station.domain.certificate import NOT_APPLICABLE, NOTED, PASSED, CertificateContent

from grading_station import i18n, log
from grading_station.paths import RESOURCES

Translate = Callable[[str], str]

FONT_DIRS = (
    RESOURCES / "fonts",  # a font shipped with the station wins over the computer's
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu (fonts-dejavu-core)
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/usr/share/fonts/truetype/liberation"),
    Path("C:/Windows/Fonts"),
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts/Supplemental"),
)
FONT_PAIRS = (  # (regular, bold), in order of preference
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)
_LATIN1 = str.maketrans({"“": '"', "”": '"', "„": '"', "’": "'", "‘": "'", "…": "...", "–": "-", "—": "-",
                         "œ": "oe", "Œ": "OE", "€": "EUR", "✓": "+", "·": "-", "\u202f": " "})
_PHOTO_PX = 720  # longest side of an embedded photo: 300 dpi at its widest (55 mm), a few dozen kB each
_QR_MODULE_PX = 8
_GREY, _INK, _ACCENT = (110, 110, 110), (25, 25, 25), (30, 90, 160)
_MARKS = {PASSED: ("✓", (30, 120, 60)), NOT_APPLICABLE: ("–", _GREY), NOTED: ("!", (170, 90, 0))}
_FOOTER_MM = 16


@functools.cache
def unicode_font(dirs: tuple[Path, ...] = FONT_DIRS) -> tuple[Path, Path] | None:
    """The first (regular, bold) TTF pair found in `dirs`, or None (Helvetica and Latin-1 then)."""
    for folder in dirs:
        for regular, bold in FONT_PAIRS:
            if (folder / regular).is_file() and (folder / bold).is_file():
                return folder / regular, folder / bold
    log.app.warning("no Unicode font found for the certificates (looked in %s): Helvetica is used, some "
                    "characters are replaced", ", ".join(str(d) for d in dirs))
    return None


def qr_png(text: str) -> bytes:
    """A QR code (error correction M, quiet zone included) carrying `text`, as a black-and-white PNG."""
    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = np.array(zxingcpp.write_barcode_to_image(barcode, scale=_QR_MODULE_PX))
    out = io.BytesIO()
    Image.fromarray(pixels.astype(np.uint8), "L").convert("1").save(out, "PNG")
    return out.getvalue()


def render_certificate(content: CertificateContent, language: str,
                       font: tuple[Path, Path] | None | bool = True) -> bytes:
    """The PDF of `content` in `language`, a language or market tag: "fr-fr" gives French words, "en-gb" English
    words and British dates. `font`: a (regular, bold) TTF pair, None for Helvetica, True to look one up."""
    _ = i18n.translations_for(language).gettext  # the buyer's language; the station's stays as it is
    pdf = _Certificate(_, _locale(language), unicode_font() if font is True else font or None)
    pdf.compose(content)
    return bytes(pdf.output())


class _Certificate(FPDF):
    """One certificate being laid out; `_` translates into its language."""

    def __init__(self, translate: Translate, locale: Locale, font: tuple[Path, Path] | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self._ = translate
        self.locale = locale
        self.unicode = font is not None
        if font is not None:
            self.add_font("body", "", str(font[0]))
            self.add_font("body", "B", str(font[1]))
        self.family = "body" if self.unicode else "helvetica"
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=16)
        self.set_lang(str(locale).replace("_", "-"))

    def text_of(self, text: str) -> str:
        """`text` as the font can show it (core fonts are Latin-1 only)."""
        if self.unicode:
            return text
        return text.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")

    def fit(self, text: str, width: float) -> str:
        """`text` as the font shows it, shortened with an ellipsis to fit `width` mm (a check's title on one line)."""
        text, ellipsis = self.text_of(text), self.text_of("…")
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + ellipsis) > width:
            text = text[:-1]
        return text.rstrip() + ellipsis

    def write_line(self, text: str, size: float, bold: bool = False, colour=_INK, height: float | None = None,
                   width: float = 0) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.set_text_color(*colour)
        self.multi_cell(width, height or size * 0.5, self.text_of(text), align="L",
                        new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    # -- the page --------------------------------------------------------------------------------------
    def compose(self, c: CertificateContent) -> None:
        _ = self._
        self.set_title(self.text_of(_("Certificate of refurbishment")))
        self.set_subject(f"{c.model_name} {c.serial}")
        self.set_creator("Grading Station")
        self.add_page()
        text_width = self.epw - 44  # the QR code takes the top right corner
        self.write_line(_("Certificate of refurbishment"), 20, bold=True, colour=_ACCENT, width=text_width)
        self.ln(2)
        self.write_line(c.model_name, 15, bold=True, width=text_width)
        self.write_line(_("Serial number / IMEI: {serial}").format(serial=c.serial), 11, width=text_width)
        self._qr(c)
        self.set_y(max(self.get_y(), 16 + 44) + 4)
        self._grade(c)
        self._facts(c)
        self._checks(c)
        self._photos(c)
        self._footer_note(c)

    def _qr(self, c: CertificateContent) -> None:
        _ = self._
        size, x, y = 36, self.w - self.r_margin - 36, 14
        self.image(io.BytesIO(qr_png(c.verify_text)), x=x, y=y, w=size, h=size,
                   alt_text=self.text_of(_("QR code to verify this certificate")))
        self.set_xy(x - 4, y + size)
        self.set_font(self.family, "", 7)
        self.set_text_color(*_GREY)
        self.multi_cell(size + 8, 3.2, self.text_of(_("Scan to verify · code {code}").format(
            code=_grouped(c.code))), align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _grade(self, c: CertificateContent) -> None:
        _ = self._
        top = self.get_y()
        self.set_fill_color(235, 242, 250)
        self.set_draw_color(*_ACCENT)
        # measure first, then draw the box behind the text
        self.set_font(self.family, "", 10)
        meaning = self.text_of(_(c.grade_meaning)) if c.grade_meaning else ""
        lines = len(self.multi_cell(self.epw - 8, 5, meaning, dry_run=True, output="LINES")) if meaning else 0
        self.rect(self.l_margin, top, self.epw, 14 + 5 * lines, style="DF")
        self.set_xy(self.l_margin + 4, top + 3)
        self.set_font(self.family, "B", 14)
        self.set_text_color(*_ACCENT)
        self.cell(0, 7, self.text_of(_("Grade: {grade}").format(grade=_(c.grade_title))),
                  new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if meaning:
            self.set_x(self.l_margin + 4)
            self.set_font(self.family, "", 10)
            self.set_text_color(*_INK)
            self.multi_cell(self.epw - 8, 5, meaning, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(top + 14 + 5 * lines + 4)

    def _facts(self, c: CertificateContent) -> None:
        _ = self._
        if c.battery_health is None:
            battery = _("not measured")
        elif c.battery_cycles is not None:
            battery = _("{health} % of its original capacity ({cycles} charge cycles)").format(
                health=c.battery_health, cycles=c.battery_cycles)
        else:
            battery = _("{health} % of its original capacity").format(health=c.battery_health)
        if c.warranty_end:
            warranty = _("until {date}").format(date=self.long_date(c.warranty_end))
        else:
            warranty = _("{months} months from delivery").format(months=c.warranty_months)
        tested = _("{date}, by {technician}").format(date=self.long_date(c.tested_at), technician=c.technician)
        checks = _("{passed} of {total} passed").format(passed=c.passed, total=c.applicable)
        facts = ((_("Battery health"), battery), (_("Warranty"), warranty), (_("Tested on"), tested),
                 (_("Checks"), checks))
        self.set_font(self.family, "B", 10)
        labels = max(42, 5 + max(self.get_string_width(self.text_of(label)) for label, _value in facts))
        for label, value in facts:
            self.set_font(self.family, "B", 10)
            self.set_text_color(*_GREY)
            self.cell(labels, 6, self.text_of(label))
            self.set_font(self.family, "", 10)
            self.set_text_color(*_INK)
            self.multi_cell(0, 6, self.text_of(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(3)

    def _checks(self, c: CertificateContent) -> None:
        _ = self._
        if not c.checks:
            return
        self.write_line(_("Tests and checks"), 12, bold=True, colour=_ACCENT, height=7)
        column = (self.epw - 6) / 2
        rows = (len(c.checks) + 1) // 2
        top = self.get_y()
        self.set_font(self.family, "", 8.5)
        for index, check in enumerate(c.checks):
            mark, colour = _MARKS.get(check.outcome, _MARKS[NOTED])
            self.set_xy(self.l_margin + (index // rows) * (column + 6), top + (index % rows) * 4.6)
            self.set_text_color(*colour)
            self.cell(4, 4.6, self.text_of(mark))
            self.set_text_color(*_INK)
            self.cell(column - 4, 4.6, self.fit(_(check.title), column - 5))
        self.set_xy(self.l_margin, top + rows * 4.6 + 1.5)
        legend = _("✓ passed · – not applicable")
        noted = [_(check.title) for check in c.checks if check.outcome == NOTED]
        if noted:
            legend = _("✓ passed · – not applicable · ! not passed, see below")
        self.write_line(legend, 7.5, colour=_GREY, height=4)
        for title in noted:  # never shortened: the buyer must read what did not pass
            self.write_line(_("Not passed: {check} (disclosed; details in the test report).").format(check=title),
                            9, colour=_MARKS[NOTED][1], height=4.6)
        self.ln(3)

    def _photos(self, c: CertificateContent) -> None:
        _ = self._
        images = [(photo.title, data) for photo in c.photos if (data := _thumbnail(photo.path)) is not None]
        if not images:
            return
        gap, caption = 4, 6
        room = self.h - self.b_margin - _FOOTER_MM - self.get_y() - 7
        # the fewest photos per row that still fit the page above the footer (at most 6 a row)
        for per_row in range(3, 7):
            width = (self.epw - gap * (per_row - 1)) / per_row
            rows = -(-len(images) // per_row)
            if rows * (width * 0.68 + caption) <= room:
                break
        height = width * 0.68
        self.write_line(_("Photos of this unit"), 12, bold=True, colour=_ACCENT, height=7)
        top = self.get_y()
        for index, (title, data) in enumerate(images):
            row, col = divmod(index, per_row)
            x, y = self.l_margin + col * (width + gap), top + row * (height + caption)
            if y + height + caption > self.h - self.b_margin:  # more photos than a page holds
                self.add_page()
                top, y = self.t_margin - row * (height + caption), self.t_margin
            self.image(io.BytesIO(data), x=x, y=y, w=width, h=height, keep_aspect_ratio=True,
                       alt_text=self.text_of(_(title)))
            self.set_xy(x, y + height + 0.5)
            self.set_font(self.family, "", 7.5)
            self.set_text_color(*_GREY)
            self.cell(width, 4, self.fit(_(title), width), align="C")
        self.set_xy(self.l_margin, top + rows * (height + caption) + 2)

    def _footer_note(self, c: CertificateContent) -> None:
        _ = self._
        if self.get_y() > self.h - self.b_margin - _FOOTER_MM:
            self.add_page()
        self.set_y(max(self.get_y(), self.h - self.b_margin - _FOOTER_MM))
        self.set_draw_color(*_GREY)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)
        self.write_line(_("Verify this certificate: {where}").format(where=c.verify_text), 8, colour=_GREY,
                        height=4)
        self.write_line(_("Integrity code {code}: the first 12 digits of the SHA-256 of this unit's test report, "
                          "kept with the unit.").format(code=_grouped(c.code)), 7, colour=_GREY, height=3.6)

    def long_date(self, iso: str) -> str:
        """An ISO date or UTC timestamp as the buyer's language writes a date ("27 novembre 2026")."""
        try:
            day = datetime.fromisoformat(iso.replace("Z", "+00:00")).date() if "T" in iso else date.fromisoformat(iso)
        except ValueError:
            return iso
        return format_date(day, format="long", locale=self.locale)


def _locale(tag: str) -> Locale:
    """The babel locale of a market tag for dates ("fr-be" → fr_BE), else of its language, else English."""
    for candidate in (tag.strip().replace("-", "_"), i18n.shipped_language(tag)):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(i18n.SOURCE_LANGUAGE)


def _grouped(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def _thumbnail(path: str) -> bytes | None:
    """The photo at `path` as a small JPEG (turned upright), or None when this computer no longer has it."""
    try:
        with Image.open(path) as image:
            picture = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, UnidentifiedImageError) as exc:
        log.app.info("certificate without the photo %s: %s", path, exc)
        return None
    picture.thumbnail((_PHOTO_PX, _PHOTO_PX))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=78)
    return out.getvalue()
