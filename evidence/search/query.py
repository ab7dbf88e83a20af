"""What a user types in a search box, read into a tree the database backends translate.

The syntax is the one people know from search engines and legal research tools:

* words are all required (`consent policy` = `consent AND policy`);
* `"a quoted phrase"` keeps its words together and in order;
* `AND`, `OR`, `NOT` in capitals (lower-case "and" is a word), `-word` for NOT, parentheses to group;
* `consen*` finds every word that starts with "consen".

A word with a hyphen or other punctuation inside ("opt-out", "PX-2", "LI-000105") is one term, searched as the
phrase of its parts, so that an issue tag or an exhibit label is found as typed. Nothing a user types is an error:
an unclosed quote runs to the end, a dangling operator is dropped.
"""

import re
from dataclasses import dataclass, field

MAX_TERMS = 20  # a longer query is cut: each term is a subquery


@dataclass(frozen=True)
class Term:
    """A word, a quoted phrase (`phrase`), or a word's beginning (`prefix`)."""

    text: str
    phrase: bool = False
    prefix: bool = False

    @property
    def words(self) -> list[str]:
        """The term's words as the indexes split them (letters and digits)."""
        return re.findall(r"\w+", self.text)


@dataclass(frozen=True)
class And:
    parts: tuple


@dataclass(frozen=True)
class Or:
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


@dataclass(frozen=True)
class Query:
    """A parsed search: `tree` (None when nothing searchable was typed) and the `terms` that a match may show,
    those not under a NOT, for ranking and highlighting."""

    text: str
    tree: object = None
    terms: tuple[Term, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.tree is not None


_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<open>\()|(?P<close>\))|(?P<word>[^\s()"]+)')
_OPERATORS = {"AND", "OR", "NOT"}


def parse(text: str) -> Query:
    tokens = _tokens(text or "")
    parser = _Parser(tokens)
    tree = parser.expression()
    return Query(text=text, tree=tree, terms=tuple(_positive_terms(tree)))


def _tokens(text: str) -> list:
    tokens, terms = [], 0
    for match in _TOKEN.finditer(text):
        if match.group("open"):
            tokens.append("(")
        elif match.group("close"):
            tokens.append(")")
        elif match.group("phrase") is not None:
            term = Term(match.group("phrase").strip(), phrase=True)
            if term.words:
                tokens.append(term)
                terms += 1
        else:
            word = match.group("word")
            if word in _OPERATORS:
                tokens.append(word)
                continue
            negated = word.startswith("-") and len(word) > 1
            word = word.lstrip("-") if negated else word
            prefix = word.endswith("*")
            term = Term(word.rstrip("*"), prefix=prefix)
            if not term.words:
                continue
            if negated:
                tokens.append("NOT")
            tokens.append(term)
            terms += 1
        if terms >= MAX_TERMS:
            break
    return tokens


class _Parser:
    """or := and (OR and)*; and := unary ((AND)? unary)*; unary := NOT unary | ( or ) | term."""

    def __init__(self, tokens):
        self.tokens = tokens
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self):
        token = self.peek()
        self.at += 1
        return token

    def expression(self):
        parts = []
        while self.peek() is not None:
            if self.peek() == ")":  # an unopened parenthesis
                self.take()
                continue
            part = self._or()
            if part is not None:
                parts.append(part)
        return _joined(And, parts)

    def _or(self):
        parts = [self._and()]
        while self.peek() == "OR":
            self.take()
            parts.append(self._and())
        return _joined(Or, [p for p in parts if p is not None])

    def _and(self):
        parts = []
        while (token := self.peek()) is not None and token not in ("OR", ")"):
            if token == "AND":
                self.take()
                continue
            parts.append(self._unary())
        return _joined(And, [p for p in parts if p is not None])

    def _unary(self):
        token = self.take()
        if token == "NOT":
            if self.peek() in (None, "OR", ")", "AND"):
                return None
            inner = self._unary()
            return Not(inner) if inner is not None else None
        if token == "(":
            inner = self._or()
            if self.peek() == ")":
                self.take()
            return inner
        return token


def _joined(kind, parts):
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def _positive_terms(node, negated: bool = False):
    if node is None:
        return
    if isinstance(node, Term):
        if not negated:
            yield node
    elif isinstance(node, Not):
        yield from _positive_terms(node.part, not negated)
    else:
        for part in node.parts:
            yield from _positive_terms(part, negated)
