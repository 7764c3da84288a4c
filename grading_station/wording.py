"""The words for the domain's reason codes (domain/reasons.py): `describe(reason)` in the station's language,
`describe_source(reason)` in English, for what is written to Odoo (a lot's hold_reason, chatter notes).

Qt-free, so services and adapters word reasons too. Parameters that are texts of the resource files (step, zone,
slot, grade and condition titles, a step's hold_reason) are translated when worded; a nested Reason is worded in
turn; a tuple is joined (", " for texts, "; " for reasons).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from grading_station.domain.reasons import Param, Reason

from grading_station.i18n import N_, NN_, _, current_language, ngettext


@dataclass(frozen=True)
class Wording:
    """A code's template (`{named}` parameters); `plural` is the form for `count` != 1 (ngettext)."""

    template: str
    plural: str = ""
    titles: frozenset[str] = frozenset()  # parameters that are resource texts: translated
    lower: frozenset[str] = frozenset()  # titles shown in lower case inside a sentence


def _w(template: str | tuple[str, str], titles: Iterable[str] = (), lower: Iterable[str] = ()) -> Wording:
    singular, plural = template if isinstance(template, tuple) else (template, "")
    return Wording(singular, plural, frozenset(titles) | frozenset(lower), frozenset(lower))


CAPITALISED_NOUNS = {"de"}
"""Languages whose nouns keep their capital inside a sentence: titles are not lower-cased there."""

CATEGORIES = {"phone": N_("phone"), "tablet": N_("tablet"), "laptop": N_("laptop")}
"""Checklist categories as a sentence names them ("the minimum to sell a phone")."""

WORDINGS: dict[str, Wording] = {
    # battery (domain/battery.py)
    "battery.health_empty": _w(N_("Enter the battery health (%).")),
    "battery.health_not_number": _w(N_("'{text}' is not a number: enter the battery health (%) in digits.")),
    "battery.health_out_of_range": _w(N_("{value} % is not possible: battery health is 0–100 %.")),
    "battery.cycles_empty": _w(N_("Enter the cycle count.")),
    "battery.cycles_not_number": _w(N_("'{text}' is not a number: enter the cycle count in digits.")),
    "battery.cycles_not_whole": _w(N_("'{text}' is not a whole number: a cycle count has no decimals.")),
    "battery.cycles_ambiguous": _w(
        N_("'{text}' could be {grouped} or {decimal} cycles: type the cycle count in digits only, "
           "without separators.")
    ),
    "battery.cycles_negative": _w(N_("{cycles} cycles is not possible: a cycle count cannot be negative.")),
    "battery.cycles_implausible": _w(
        N_("{cycles} cycles is not plausible (at most {maximum}): check the reading and type it again.")
    ),
    "battery.cycles_required": _w(
        N_("Enter the cycle count: this device reports it (Settings or the diagnostic tool).")
    ),
    "battery.too_long": _w(N_("That is too long for a battery reading: type at most {maximum} characters.")),
    "battery.report_without_health": _w(
        N_("No battery health (e.g. 'Maximum Capacity: 87%') was found in the pasted text.")
    ),
    # checklist answers and what holds a unit (domain/checklist.py)
    "checklist.zone_needs_condition": _w(N_("Pick a condition for this zone.")),
    "checklist.cannot_skip_check": _w(
        N_("'{step}' cannot be skipped: every unit of this category has it."), titles=["step"]
    ),
    "checklist.answer_pass_fail": _w(N_("'{step}': answer pass, fail or not applicable."), titles=["step"]),
    "checklist.cannot_skip_confirm": _w(
        N_("'{step}' applies to every unit of this category: answer yes or no."), titles=["step"]
    ),
    "checklist.answer_yes_no": _w(N_("'{step}': answer yes or no."), titles=["step"]),
    "checklist.pick_one": _w(N_("'{step}': pick one option."), titles=["step"]),
    "checklist.unknown_option": _w(N_("'{step}' has no option '{option}'."), titles=["step"]),
    "checklist.not_a_value_step": _w(
        N_("'{step}' is not answered with a value (use its own form)."), titles=["step"]
    ),
    "checklist.failed": _w(N_("{step}: failed"), titles=["step"]),
    "checklist.battery_missing": _w(N_("battery reading not entered")),
    "checklist.cycles_missing": _w(N_("cycle count not entered")),
    "checklist.zones_missing": _w(N_("cosmetic inspection not done for: {zones}"), lower=["zones"]),
    "checklist.photos_missing": _w(NN_("photo missing: {slots}", "photos missing: {slots}"), lower=["slots"]),
    "checklist.any_photo_missing": _w(N_("photo missing: any")),
    "checklist.not_confirmed": _w(N_("not confirmed: {step}"), titles=["step"]),
    "checklist.not_done": _w(N_("not done: {step}"), titles=["step"]),
    "checklist.lock": _w("{lock}", titles=["lock"]),  # the step's hold_reason, itself in the catalogue
    # the suggested grade and a grade chosen against it (domain/grades.py)
    "grade.battery_unsellable": _w(
        N_("battery {health} % < {minimum} %, the minimum to sell a {category}: replace the battery")
    ),
    "grade.battery_below": _w(N_("battery {health} % < {minimum} % for {grade}"), titles=["grade"]),
    "grade.cycles_above": _w(N_("battery {cycles} cycles > {maximum} for {grade}"), titles=["grade"]),
    "grade.zone_condition": _w(N_("{zone}: {condition}"), lower=["zone", "condition"]),
    "grade.at_best": _w(N_("{reason} → {grade} at best"), titles=["grade"]),
    "grade.not_sellable": _w(N_("{reason}: not sellable")),
    "grade.noted": _w(N_("{reason} (noted, no repair needed)")),
    "grade.leads_to": _w(N_("{reason} → {grade}"), titles=["grade"]),
    "grade.no_sellable_grade_fits": _w(N_("no sellable grade fits")),
    "grade.meets_every_criterion": _w(N_("meets every {grade} criterion"), titles=["grade"]),
    "grade.so_far": _w(N_("{grade} so far"), titles=["grade"]),
    "grade.not_final": _w(N_("not final: {missing}")),
    "grade.not_final_count": _w(N_("not final: {count} required step(s) still open")),
    "grade.override_to_sellable": _w(
        N_("The checklist sends this unit to {suggested}: it cannot be graded {chosen}. If a test was answered "
           "by mistake, answer it again."),
        titles=["suggested", "chosen"],
    ),
    "grade.override_needs_reason": _w(
        N_("You chose {chosen} instead of the suggested {suggested}: say why (e.g. 'scratch on the camera "
           "lens'). The reason is kept in the unit's history."),
        titles=["chosen", "suggested"],
    ),
    "grade.override_too_short": _w(
        N_("'{reason}' is too short to explain the change of grade: say a few words more.")
    ),
    # scans (domain/identifiers.py)
    "scan.bad_pattern": _w(N_("Serial pattern {index} ({pattern}) is not a valid regular expression: {error}")),
    "scan.too_long": _w(
        N_("That scan is {length} characters long; a serial or IMEI has at most {maximum}. Scan one barcode at "
           "a time (cover the others), or type it.")
    ),
    "scan.not_ascii": _w(
        N_("The scan contains '{char}', which is in no serial or IMEI: check the scanner's keyboard layout (it "
           "must match the computer's), then scan again.")
    ),
    "scan.control_character": _w(
        N_("The scan contains a control character ({hex}) in the middle: it is not a serial or IMEI barcode. "
           "Scan the code marked IMEI or S/N, or type it.")
    ),
    "scan.nothing_scanned": _w(N_("Nothing was scanned: scan the IMEI or serial number barcode again.")),
    "scan.too_short": _w(N_("'{value}' is too short for a serial number: scan the barcode marked S/N or IMEI.")),
    "scan.not_a_serial": _w(
        N_("'{value}' does not look like a serial number (letters and digits, no spaces or symbols): scan the "
           "barcode marked S/N or IMEI, or type it.")
    ),
    "scan.not_a_real_imei": _w(
        N_("{value} is not a real IMEI (no manufacturer code): a phone shows this after a board fault. Scan the "
           "serial number instead and send the unit to repair.")
    ),
    "scan.wrong_check_digit": _w(
        N_("IMEI {value} has a wrong check digit (expected {expected}): rescan or type it again.")
    ),
    "scan.imeisv": _w(
        N_("{value} looks like an IMEISV (IMEI + software version), not the IMEI: scan the barcode marked IMEI, "
           "or type its 15 digits.")
    ),
    "scan.product_barcode": _w(
        N_("{value} is a product barcode (EAN/UPC), the same on every box of this model: scan the barcode marked "
           "IMEI or S/N instead.")
    ),
    # picking (domain/picking.py)
    "pick.not_found": _w(N_("{serial} is not known in Odoo: scan the unit's IMEI or serial again.")),
    "pick.sold": _w(N_("{serial} is not in stock any more (already sold or shipped).")),
    "pick.wrong_grade": _w(N_("Order {order} needs {needed}; this unit is {grade}.")),
    "pick.wrong_product": _w(N_("Order {order} needs {needed}; this unit is a {model}.")),
    "pick.not_in_stock": _w(N_("{serial} is in {location}, not in sellable stock: it cannot be shipped.")),
    "pick.on_hold": _w(N_("{serial} is held ({why}): it cannot be shipped.")),
    "pick.reserved": _w(N_("{serial} is reserved for order {other}: pick it there, or scan another unit.")),
    "pick.twice": _w(N_("{serial} is already picked for order {order}.")),
    "pick.retest_due": _w(N_("{serial} needs a battery re-test (last test over {days} days ago) before it ships.")),
    "pick.order_done": _w(N_("Order {order} is already picked.")),
    "pick.no_order": _w(N_("Choose an order first (↑/↓), then scan its unit.")),
    "pick.quantity_gt_one": _w(
        N_("Back Market records one IMEI/serial per line: the {quantity} units of {sku} cannot all be recorded.")
    ),
    "pick.cannot_serve": _w(N_("Order {order}: no unit of {sku} is free in stock, so the line was not accepted.")),
    "scan.wrong_digit_count": _w(
        N_("{value} has {count} digits: an IMEI has 15. Rescan the barcode marked IMEI or S/N, or type it.")
    ),
    # supervisor review (domain/review.py)
    "review.no_grade": _w(N_("The unit has no grade yet: re-inspect it at the bench.")),
    "review.not_sellable": _w(N_("Graded '{grade}', which is not sold: re-grade it or send it to repair.")),
    "review.no_battery": _w(N_("No battery reading is recorded: re-inspect it at the bench.")),
    "review.no_test_date": _w(N_("No test date is recorded: re-inspect it at the bench.")),
    "review.no_checklist": _w(N_("No checklist is recorded: re-inspect it at the bench.")),
    "review.not_held": _w(N_("The unit is not held (it is in {location}).")),
    # payout CSV (domain/sales_figures.py)
    "payout.not_text": _w(N_("This file is not a CSV text file ({hint}): export the payouts from the Back Office "
                             "as CSV.")),
    "payout.missing_columns": _w(N_("The payout file lacks the column(s) {columns}; its columns are: {found}. "
                                    "Export the payouts report with the order number and the amount.")),
    "payout.bad_amount": _w(N_("Line {line} of the payout file has no order number or amount that can be read: "
                               "{value}")),
    "payout.empty": _w(N_("The payout file is empty.")),
}


def _source(message: str) -> str:
    return message


def _source_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def _word(
    reason: Reason, gettext: Callable[[str], str], plural_of: Callable[[str, str, int], str], lower: bool = True
) -> str:
    wording = WORDINGS.get(reason.code)
    if wording is None:  # a code without words is a bug (test_wording), but the screen still says something
        return reason.code
    args = reason.args

    def shown(name: str, value: Param) -> str:
        if isinstance(value, Reason):
            return _word(value, gettext, plural_of, lower)
        if isinstance(value, tuple):
            parts = [shown(name, item) for item in value]
            return ("; " if any(isinstance(item, Reason) for item in value) else ", ").join(parts)
        if name == "category":
            value = gettext(CATEGORIES[value]) if value in CATEGORIES else value
        elif name in wording.titles and isinstance(value, str) and value:
            value = gettext(value)
        text = str(value)
        return text.lower() if lower and name in wording.lower else text

    template = wording.template
    if wording.plural:
        count = args.get("count", 1)
        template = plural_of(wording.template, wording.plural, count if isinstance(count, int) else 1)
    else:
        template = gettext(template)
    return template.format(**{name: shown(name, value) for name, value in args.items()})


def describe(reason: Reason) -> str:
    """`reason` in the station's language (i18n.install)."""
    return _word(reason, _, ngettext, lower=current_language() not in CAPITALISED_NOUNS)


def describe_source(reason: Reason) -> str:
    """`reason` in English with untranslated titles: what Odoo stores (stable, whatever the station's language)."""
    return _word(reason, _source, _source_plural)


def describe_all(reasons: Iterable[Reason], separator: str = "; ") -> str:
    return separator.join(describe(reason) for reason in reasons)


def describe_all_source(reasons: Iterable[Reason], separator: str = "; ") -> str:
    return separator.join(describe_source(reason) for reason in reasons)
