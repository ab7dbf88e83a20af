"""The values of one cell, read as the words paralegals use: kinds, statuses, yes/no, lists of names, sources.

Each reader returns the value or raises `CellError` with the reason shown to the user next to the row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from evidence.importing.columns import key
from evidence.models import EventKind, EventStatus


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason shown to the user."""


# Spreadsheet formula guard: our export prefixes cells starting with these with an apostrophe.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def unguard(text: str) -> str:
    if text[:1] == "'" and text[1:2] in _FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


_KIND_WORDS = {
    EventKind.SETTING_INTRODUCED: ["setting introduced", "new setting", "setting added", "setting launched",
                                   "feature launched", "launch"],
    EventKind.SETTING_CHANGED: ["setting changed", "setting change", "settings change", "settings changed",
                                "default changed", "setting edit"],
    EventKind.POLICY_EDIT: ["policy edit", "policy change", "policy changed", "policy update", "policy updated",
                            "privacy policy change", "privacy policy update", "privacy policy edit", "policy",
                            "terms change", "terms update", "tos change"],
    EventKind.HELP_PAGE_EDIT: ["faq edit", "faq change", "faq", "help page edit", "help page change", "help page",
                               "faq / help-page edit", "faq/help page edit", "help center edit"],
    EventKind.USER_COMMUNICATION: ["user email", "user e-mail", "email to users", "e-mail to users", "user notice",
                                   "notice to users", "user communication", "user notification", "notification",
                                   "in-app notice", "member email"],
    EventKind.INTERNAL_COMMUNICATION: ["internal email", "internal e-mail", "internal communication", "internal memo",
                                       "memo", "internal", "meeting"],
    EventKind.PUBLIC_STATEMENT: ["public statement", "statement", "press release", "press statement",
                                 "media statement", "announcement", "blog post", "interview"],
    EventKind.COURT_FILING: ["court filing", "filing", "complaint", "motion", "pleading", "court order", "order",
                             "docket entry", "brief"],
    EventKind.OTHER: ["other", "misc", "miscellaneous"],
}  # fmt: skip
KIND_LOOKUP = {key(w): kind.value for kind, words in _KIND_WORDS.items() for w in words}
KIND_LOOKUP.update({key(k.value): k.value for k in EventKind})
KIND_LOOKUP.update({key(k.label): k.value for k in EventKind})
KIND_HELP = ", ".join(f"“{k.label}”" for k in EventKind)


def read_kind(text: str) -> str:
    found = KIND_LOOKUP.get(key(text))
    if found is None:
        raise CellError(f"unknown kind “{text}”; use one of {KIND_HELP}")
    return found


def read_status(text: str) -> str:
    k = key(text)
    if k.startswith("undisputed") or k in ("agreed", "admitted", "stipulated", "notdisputed"):
        return EventStatus.UNDISPUTED.value
    if k.startswith("disputed") or k in ("contested", "denied"):
        return EventStatus.DISPUTED.value
    if k in ("unverified", "unsure", "unknown", "prospective", "tbd", "notverified", "pending"):
        return EventStatus.UNVERIFIED.value
    raise CellError(
        f"unknown status “{text}”; use “Undisputed”, “Disputed” (or CaseMap's “Disputed by Opposition”) "
        "or “Unverified” (“Unsure”)"
    )


_TRUE = {"y", "yes", "true", "t", "x", "1", "key", "keyfact", "privileged", "checked", "\u2713", "\u2714"}
_FALSE = {"", "n", "no", "false", "f", "0", "unchecked"}


def read_bool(text: str) -> bool:
    k = key(text) if text not in ("\u2713", "\u2714") else text
    if k in _TRUE:
        return True
    if k in _FALSE or text.strip() == "-":
        return False
    raise CellError(f"“{text}” is not yes or no (write Y, yes, true or x; N, no, false or leave it empty)")


def read_bound(text: str) -> str:
    k = key(text)
    if k in ("", "before", "after"):
        return k
    raise CellError(f"bound “{text}” must be “before”, “after” or empty")


_ISSUE_SPLIT = re.compile(r"[;,\n]")
_ACTOR_SPLIT = re.compile(r"[;\n]")  # not ",": "Doe, John" and "LinkedIn, Inc." are one name each


def split_names(text: str, *, commas: bool) -> list[str]:
    """Names separated by ";" or a new line; with `commas`, also by "," unless the cell uses ";" (as our export does,
    so that an issue named "privacy, consent" survives a round trip)."""
    names, seen = [], set()
    for part in (_ISSUE_SPLIT if commas and ";" not in text else _ACTOR_SPLIT).split(text):
        name = " ".join(part.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


@dataclass(frozen=True)
class SourceReader:
    """Reads "PX-3 p. 2; PX-7 ¶ 4; Complaint ¶ 2" into citations (exhibit number, pinpoint) and source-note text."""

    prefix: str

    def __post_init__(self):
        letters = re.escape(re.sub(r"[\s\-_.#]+$", "", self.prefix)) or "PX"
        pattern = rf"(?:{letters}|exhibit|exh\.?|ex\.?)\s*[-_#.]?\s*(\d+)(?![\d])\s*[,:]?\s*(.*)"
        object.__setattr__(self, "_re", re.compile(pattern, re.I | re.S))

    def read(self, text: str) -> tuple[list[tuple[int, str]], list[str]]:
        citations: list[tuple[int, str]] = []
        notes: list[str] = []
        for part in re.split(r"[;\n]", text):
            part = " ".join(part.split())
            if not part:
                continue
            if m := self._re.fullmatch(part):
                item = (int(m[1]), m[2].strip())
                if item not in citations:
                    citations.append(item)
            elif part not in notes:
                notes.append(part)
        return citations, notes
