"""Malformed JSON-RPC answers, drawn from a seeded random generator, as a fault campaign would send them."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

# What the station must make of an answer: "retry" (Odoo answered something unexpected / could not be
# read), "bug" (Odoo reports its own ValueError/TypeError), "any" (a well-formed result: used or refused).
RETRY, BUG, ANY = "retry", "bug", "any"


@dataclass(frozen=True)
class Answer:
    label: str
    body: bytes
    expect: str


def random_json(rng: random.Random, depth: int = 0) -> object:
    choice = rng.randrange(9 if depth < 2 else 6)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.randint(-5, 10**6)
    if choice == 3:
        return rng.choice(["", "x", "1", "False", "é\u00a0ñ", "[]"])
    if choice == 4:
        return rng.random() * 100
    if choice == 5:
        return []
    if choice == 6:
        return [random_json(rng, depth + 1) for _ in range(rng.randint(1, 3))]
    if choice == 7:
        keys = rng.sample(["id", "name", "product_id", "res_id", "quantity", "x"], rng.randint(0, 4))
        return {k: random_json(rng, depth + 1) for k in keys}
    return [{k: random_json(rng, depth + 1) for k in rng.sample(["id", "name", "x"], 2)}]


def _envelope(**fields: object) -> bytes:
    return json.dumps({"jsonrpc": "2.0", "id": 1, **fields}).encode()


def malformed_answer(rng: random.Random) -> Answer:
    kind = rng.randrange(10)
    if kind == 0:
        return Answer("error without data", _envelope(error={"code": 200, "message": "Odoo Server Error"}), RETRY)
    if kind == 1:
        body = rng.choice([b"[]", b"null", b'"ok"', b"42", b"{}", b"true", b'[{"result": 1}]'])
        return Answer(f"body {body.decode()}", body, RETRY)
    if kind == 2:
        data = {"name": "odoo.exceptions.UserError", "message": [random_json(rng)], "arguments": []}
        return Answer("list as message", _envelope(error={"code": 200, "message": ["x"], "data": data}), RETRY)
    if kind == 3:
        data = rng.choice([[], "boom", 3, None, {"message": "no name"}, {"name": 7, "message": "x"}])
        return Answer(f"data {data!r}", _envelope(error={"code": 200, "message": "Odoo Server Error",
                                                        "data": data}), RETRY)
    if kind == 4:
        return Answer("error as text", _envelope(error=rng.choice(["boom", 1, [], True])), RETRY)
    if kind == 5:
        name = rng.choice(["builtins.ValueError", "builtins.TypeError", "exceptions.ValueError"])
        data = {"name": name, "message": "Invalid field 'x' on model 'stock.lot'", "arguments": [],
                "debug": "Traceback (most recent call last):\n  ...\nValueError: Invalid field", "context": {}}
        return Answer(name, _envelope(error={"code": 200, "message": "Odoo Server Error", "data": data}), BUG)
    if kind == 6:
        text = json.dumps({"jsonrpc": "2.0", "id": 1, "result": random_json(rng)})
        cut = text[: rng.randint(1, max(1, len(text) - 1))]
        return Answer("truncated", cut.encode(), RETRY)
    return Answer("random result", _envelope(result=random_json(rng)), ANY)
