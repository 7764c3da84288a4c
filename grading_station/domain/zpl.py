"""A label layout as ZPL II text: UTF-8 (^CI28), font 0, Code 128 in automatic mode, Data Matrix ECC 200."""

from __future__ import annotations

from grading_station.domain.labels import BarcodeBox, LabelLayout, TextBox

# ^FH\ lets a field carry any byte as \hh: ZPL's own command characters in a serial or a model name
# ("^", "~") would otherwise end the field or start a command.
_ESCAPED = {"\\": "\\5C", "^": "\\5E", "~": "\\7E"}


def field_data(text: str) -> str:
    """`text` as a ^FH\\ field: command characters hex-escaped, control characters dropped."""
    return "".join(_ESCAPED.get(char, char) for char in text if char >= " ")


def _text(box: TextBox) -> str:
    # ^FB width,1 keeps the text inside its box even if the printer's font runs wider than the fit rule.
    align = "C" if box.centred else "L"
    return (f"^FO{box.x},{box.y}^A0N,{box.height},{box.height}^FB{box.width},1,0,{align},0"
            f"^FH\\^FD{field_data(box.text)}^FS")


def _barcode(box: BarcodeBox) -> str:
    if box.kind == "code128":
        # ^BY narrow bar width; ^BC no human-readable line (the label prints its own caption), mode A.
        return f"^FO{box.x},{box.y}^BY{box.module}^BCN,{box.height},N,N,N,A^FH\\^FD{field_data(box.data)}^FS"
    return f"^FO{box.x},{box.y}^BXN,{box.module},200^FH\\^FD{field_data(box.data)}^FS"


def to_zpl(layout: LabelLayout, copies: int = 1) -> str:
    """The whole label, one command per line (printers ignore the line ends)."""
    size = layout.size
    lines = ["^XA", "^CI28", f"^PW{size.width}", f"^LL{size.height}", "^LH0,0"]
    lines += [_text(box) for box in layout.texts]
    lines += [_barcode(box) for box in layout.barcodes]
    lines += [f"^PQ{max(1, copies)}", "^XZ"]
    return "\n".join(lines) + "\n"
