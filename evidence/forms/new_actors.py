"""The kind of each actor a form creates on the fly (the event form, the grid's actors cell): the names typed that the
matter does not have yet, each offered as person or organisation set to the guess of evidence.actor_kinds (which says
why), and the user's choices, posted as pairs of `new_actor_name` and `new_actor_kind`. A name with no choice posted
(a page without its script, a save before the guess came back) is created of the guessed kind."""

from dataclasses import dataclass

from evidence.actor_kinds import ActorGuess
from evidence.actor_matching import Cast
from evidence.models import ActorKind, Matter
from evidence.services.actors import NewActor

NAME_FIELD = "new_actor_name"
KIND_FIELD = "new_actor_kind"


@dataclass(frozen=True)
class NewActorRow:
    name: str
    kind: str  # the user's choice, else the guess
    guess: ActorGuess

    def as_json(self) -> dict:
        return {"name": self.name, "kind": self.kind, "guessed": self.guess.kind, "why": self.guess.why}


def _key(name: str) -> str:
    return " ".join((name or "").split()).casefold()


def chosen_kinds(data) -> dict[str, str]:
    """{name casefolded: kind} from the posted pairs; a kind that is not one is ignored."""
    if not hasattr(data, "getlist"):
        return {}
    pairs = zip(data.getlist(NAME_FIELD), data.getlist(KIND_FIELD), strict=False)
    return {_key(name): kind for name, kind in pairs if kind in ActorKind.values and _key(name)}


def with_kinds(names: list[str], kinds: dict[str, str]) -> list:
    """The names as the event services take them: a name with a chosen kind as a NewActor of that kind (used only
    if the matter has no actor of that name yet)."""
    return [NewActor(name, kind=kinds[_key(name)]) if _key(name) in kinds else name for name in names]


def new_actor_rows(matter: Matter, names: list[str], kinds: dict[str, str]) -> list[NewActorRow]:
    """The names the matter has no actor of, each with its kind (chosen, else guessed) and the guess."""
    if not names:
        return []
    cast = Cast(matter)
    known = {_key(a.name) for a in cast.actors}
    rows, seen = [], set()
    for name in names:
        key = _key(name)
        if key and key not in known and key not in seen:
            seen.add(key)
            guess = cast.guess(name)
            rows.append(NewActorRow(name=" ".join(name.split()), kind=kinds.get(key, guess.kind), guess=guess))
    return rows
