"""The simulator refuses a batch catalog the guide's CSV format does not allow, as Back Market documents."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers.bm_sim import DEMO_EAN

_HEADERS = {
    "Authorization": "Basic sim-token",
    "User-Agent": "BM-Acme-GradingStation;ops@acme.test",
    "Accept": "application/json",
    "Accept-Language": "fr-fr",
}
_GOOD = '"sku";"ean";"quantity";"price";"grade"\n"S-1";"' + DEMO_EAN + '";"1";"499.00";"GOOD"\n'


def _post(sim, catalog: str, *, delimiter: str = ";", quotechar: str = '"', encoding: str = "utf-8"):
    body = {"catalog": catalog, "delimiter": delimiter, "quotechar": quotechar, "encoding": encoding}
    return httpx.post(sim.url + "/ws/listings", json=body, headers=_HEADERS)


def test_a_catalog_in_the_required_format_is_accepted(bm_sim):
    answer = _post(bm_sim, _GOOD)
    assert answer.status_code == 200 and isinstance(answer.json()["bodymessage"], int)


@pytest.mark.parametrize(
    "catalog, options, why",
    [
        ('"sku","quantity"\n"S-1","1"\n', {"delimiter": ","}, "delimiter"),  # comma-separated, declared
        ('"sku","quantity"\n"S-1","1"\n', {}, "';'-separated"),  # commas under a ';' declaration
        ("sku;quantity\nS-1;1\n", {}, "double quotes"),  # unquoted
        ('"sku";"quantity"\r\n"S-1";"1"\r\n', {}, "line feed"),  # CRLF
        (_GOOD, {"encoding": "utf-42"}, "encoding"),
        ('"sku";"quantity"\n' + '"S";"1"\n' * 15_000, {}, "15000"),  # 15,001 lines with the header
    ],
    ids=["comma-declared", "comma", "unquoted", "crlf", "encoding", "too-long"],
)
def test_a_catalog_outside_the_csv_format_is_refused_with_a_bare_string(bm_sim, catalog, options, why):
    tasks_before = len(bm_sim.catalogue.tasks)
    answer = _post(bm_sim, catalog, **options)
    assert answer.status_code == 400
    message = answer.json()
    assert isinstance(message, str) and why in message.replace(",", "")  # the spec's 400 body: a string
    assert len(bm_sim.catalogue.tasks) == tasks_before  # no task was queued


def test_exactly_15000_lines_are_accepted(bm_sim):
    bm_sim.sku_lines_per_hour = 20_000
    catalog = '"sku";"quantity"\n' + "".join(f'"S-{n}";"0"\n' for n in range(14_999))
    assert _post(bm_sim, catalog).status_code == 200


def test_a_lower_case_grade_is_refused_on_its_row(bm_sim):
    catalog = _GOOD.replace('"GOOD"', '"good"')
    task_id = _post(bm_sim, catalog).json()["bodymessage"]
    bm_sim.catalogue.finish_queued_tasks()  # processed on the next request, without waiting out its delay
    task = httpx.get(f"{bm_sim.url}/ws/tasks/{task_id}", headers=_HEADERS).json()
    assert task["action_status"] == 9
    assert task["result"]["S-1"]["status"] == "error" and "grade 'good'" in task["result"]["S-1"]["errors"][0]
    assert bm_sim.catalogue.find("S-1") is None  # AestheticGradeValue is upper case: nothing was created
