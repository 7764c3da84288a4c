"""Checks every request the simulator receives and every answer it sends against Back Market's openapi.yml."""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC_PATH = Path(__file__).with_name("openapi.yml")  # byte-for-byte copy of the published spec
# The spec's servers are the real hosts; paths are matched as if the simulator were the EU production host.
_SPEC_HOST = "https://www.backmarket.fr"


@functools.cache
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC_PATH))


_LOCK = threading.Lock()  # openapi-core's caches are not documented as thread-safe


@dataclass
class SpecRequest:
    """The openapi-core request protocol over what the simulator's handler read."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    content_type: str

    @property
    def host_url(self) -> str:
        return _SPEC_HOST

    @property
    def full_url_pattern(self) -> str:
        return _SPEC_HOST + self.path

    def __post_init__(self) -> None:
        # One object: openapi-core writes the matched path variables into it.
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(parse_qsl(self.query, keep_blank_values=True)),
            header=Headers(self.headers),
            cookie=ImmutableMultiDict(),
            path={},
        )


@dataclass
class SpecResponse:
    status_code: int
    data: bytes
    content_type: str

    @property
    def headers(self) -> Headers:
        return Headers({"Content-Type": self.content_type})


def _describe(errors: list[Exception]) -> str:
    parts = []
    for error in errors:
        cause = error.__cause__
        inner = getattr(cause, "schema_errors", None)
        detail = "; ".join(e.message for e in inner) if inner else (repr(cause) if cause else "")
        parts.append(f"{type(error).__name__}({detail})" if detail else repr(error))
    return ", ".join(parts)


def request_errors(request: SpecRequest) -> str:
    """'' when the request conforms to the spec, else a description of what is wrong."""
    with _LOCK:
        result = openapi().unmarshal_request(request)
    return _describe(result.errors) if result.errors else ""


def response_errors(request: SpecRequest, response: SpecResponse) -> str:
    """'' when the answer conforms to what the spec declares for that operation and status."""
    with _LOCK:
        result = openapi().unmarshal_response(request, response)
    return _describe(result.errors) if result.errors else ""
