"""A JSON body bounded before it is parsed: in size by Django (DATA_UPLOAD_MAX_MEMORY_SIZE, answered 413 by
evidence.api.errors), and here in nesting, deep enough for any request of this API but not for one built to exhaust
the parser's stack."""

import json

from rest_framework import exceptions
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if _depth(raw) > MAX_DEPTH:
            raise exceptions.ParseError(f"The JSON is nested deeper than {MAX_DEPTH} levels.")
        try:
            return json.loads(raw.decode((parser_context or {}).get("encoding") or "utf-8"))
        except (ValueError, UnicodeDecodeError) as error:
            raise exceptions.ParseError(f"The body is not JSON: {error}") from None


def _depth(raw: bytes) -> int:
    """The deepest nesting of brackets outside strings, counted without parsing."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest
