"""Lists of names as people type them in one field or cell ("LinkedIn; DMR News, Jane Doe"): the one splitter for
actors and issues, used by the web forms and the spreadsheet import alike."""

from __future__ import annotations

import re
from typing import Literal

Commas = Literal["separate", "keep", "separate unless semicolons"]

_WITH_COMMAS = re.compile(r"[;,\n]")
_WITHOUT_COMMAS = re.compile(r"[;\n]")


def split_names(text: str | None, *, commas: Commas = "separate") -> list[str]:
    """Names separated by ";" or a new line, and by "," as `commas` says; blanks dropped, each name once (the first
    spelling wins, compared ignoring case), inner white space collapsed.

    - "separate": "," separates too (a form field: "LinkedIn, DMR News").
    - "keep": "," is part of a name ("Doe, John", "LinkedIn, Inc."): a spreadsheet's actors.
    - "separate unless semicolons": "," separates unless the text uses ";", as our export joins names with "; " so
      that an issue named "privacy, consent" survives a round trip: a spreadsheet's issues.
    """
    text = text or ""
    split_on_commas = commas == "separate" or (commas == "separate unless semicolons" and ";" not in text)
    names: dict[str, str] = {}
    for part in (_WITH_COMMAS if split_on_commas else _WITHOUT_COMMAS).split(text):
        name = " ".join(part.split())
        if name:
            names.setdefault(name.casefold(), name)
    return list(names.values())
