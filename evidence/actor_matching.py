"""Who is this? A name and an address (an e-mail's sender or recipient) matched to the matter's actors, so that intake
names the actor the matter already has instead of adding a near-duplicate. Reads only; the services create.

The order, first match wins:
1. the address, compared without case, among every actor's e-mail addresses (and an address an older intake kept
   in the name, "Ann Lee (ann@x.example)");
2. the display name, compared as folded_name folds it (case, punctuation, diacritics, and word order, so that
   "Doe, Jane" is "Jane Doe"), among the actors still offered (not retired);
3. otherwise a new actor, of the kind evidence.actor_kinds guesses, keeping the address.

A retired actor that a merge folded into another (evidence.services.cast records “merged into “X”” in its history)
stands for the one it was merged into, found as it is named now; a retired actor never merged is still matched by
its address or its very name (the name cannot be given twice), and said to be retired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from evidence.actor_kinds import (
    LEGAL_SUFFIXES,
    WEBMAIL_DOMAINS,
    ActorGuess,
    KnownOrganisation,
    domain_of,
    folded,
    guess_actor,
)
from evidence.models import Actor, ActorKind, Matter
from evidence.text import shown

ACTOR_NAME_MAX = 200
MERGED_PREFIX = "merged into “"
_ADDRESS = re.compile(r"[^\s<>()@,;]+@[^\s<>()@,;]+\.[^\s<>()@,;]+")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_MAX_MERGE_HOPS = 10
_NAME_WORD = r"[^\W\d_](?:[^\W\d_]|['’.-])*"
_LAST_FIRST = re.compile(rf"^((?:{_NAME_WORD} ){{0,2}}{_NAME_WORD}), ((?:{_NAME_WORD} ){{0,2}}{_NAME_WORD})$")


def folded_name(name: str) -> str:
    """A name as names are compared: addresses and parentheses dropped, folded (evidence.actor_kinds.folded), the
    words in order of the alphabet: "Doe, Jane", "JANE DOE" and "Jane Doe (jane@x.example)" are one."""
    without = _PARENTHESIS.sub(" ", _ADDRESS.sub(" ", name or ""))
    return " ".join(sorted(folded(without).split()))


def natural_name(name: str) -> str:
    """A name in the order it is spoken: "Doe, Jane" -> "Jane Doe", as a new actor is named; "Acme, Inc." and any
    name with more than one comma, or with anything but letters, are left as they are."""
    name = " ".join((name or "").split())
    match = _LAST_FIRST.match(name)
    if match is None or match[2].split()[-1].replace(".", "").casefold() in LEGAL_SUFFIXES:
        return name
    return f"{match[2]} {match[1]}"


def addresses_of(actor: Actor) -> set[str]:
    """The actor's e-mail addresses, lower case; an address in its name counts as one of them."""
    found = {e.strip().lower() for e in re.split(r"[,;\s]+", actor.emails or "") if "@" in e}
    found.update(a.lower() for a in _ADDRESS.findall(actor.name or ""))
    return found


@dataclass
class Participant:
    """One sender or recipient of a message, as matched: `actor` the matter's actor it is, or None for a new one
    (`guess` then says its kind). `how`: "address" or "name", "" for a new actor."""

    display_name: str
    address: str
    actor: Actor | None = None
    how: str = ""
    merged_from: Actor | None = None  # the retired duplicate the match went through
    guess: ActorGuess | None = None
    roles: list[str] = field(default_factory=list)  # "from", "to", "cc", "bcc"
    other_addresses: list[str] = field(default_factory=list)  # a new actor's further addresses in the message

    @property
    def addresses(self) -> list[str]:
        return [a for a in (self.address, *self.other_addresses) if a]

    @property
    def name(self) -> str:
        """The actor's name, as the event will name it."""
        if self.actor is not None:
            return self.actor.name
        return natural_name(self.display_name or self.address)[:ACTOR_NAME_MAX]

    @property
    def roles_text(self) -> str:
        """ "From", "To/Cc": where the message names the participant."""
        return "/".join(role.capitalize() for role in self.roles)

    @property
    def is_new(self) -> bool:
        return self.actor is None

    @property
    def who(self) -> str:
        """ "“Doe, Jane” <jane.doe@example.com>", as the message gives the participant."""
        if self.display_name and self.address:
            return f"“{shown(self.display_name)}” <{shown(self.address)}>"
        return shown(self.display_name or self.address)

    @property
    def outcome(self) -> str:
        """What became of the participant, in words: "matched to the existing actor “Jane Doe” (by address)"."""
        if self.actor is None:
            return f"new actor “{shown(self.name)}”: {self.guess.kind_label.lower()}, because {shown(self.guess.why)}"
        how = f"by {self.how}"
        if self.merged_from is not None:
            how += f", through “{shown(self.merged_from.name)}”, merged into it"
        elif self.actor.retired_at is not None:
            how += "; retired"
        return f"matched to the existing actor “{shown(self.actor.name)}” ({how})"

    @property
    def sentence(self) -> str:
        return f"{self.who}: {self.outcome}"

    @property
    def sentence_before_confirmation(self) -> str:
        """The sentence, as said before the event is confirmed (when a new actor is not created yet)."""
        if self.actor is not None:
            return self.sentence
        return (f"{self.who}: new actor “{shown(self.name)}” once you confirm the event "
                f"({self.guess.kind_label.lower()}, because {shown(self.guess.why)})")  # fmt: skip


class Cast:
    """The matter's actors, read once, to match many participants against."""

    def __init__(self, matter: Matter):
        self.matter = matter
        self.actors = list(Actor.objects.filter(matter=matter).order_by("id"))
        self.by_address: dict[str, list[Actor]] = {}
        self.by_name: dict[str, list[Actor]] = {}
        for actor in self.actors:
            for address in addresses_of(actor):
                self.by_address.setdefault(address, []).append(actor)
            self.by_name.setdefault(folded_name(actor.name), []).append(actor)
        self._survivors: dict[int, Actor | None] = {}

    @cached_property
    def known(self) -> list[KnownOrganisation]:
        """The matter's organisations, each with the domains it and the people of it write from."""
        members: dict[str, set[str]] = {}
        for actor in self.actors:
            domains = {domain_of(a) for a in addresses_of(actor)} - WEBMAIL_DOMAINS - {""}
            owner = actor.name if actor.kind == ActorKind.ORGANISATION else actor.organisation
            if owner and domains:
                members.setdefault(owner.casefold(), set()).update(domains)
        return [
            KnownOrganisation(a.name, frozenset(members.get(a.name.casefold(), ())))
            for a in self.actors
            if a.kind == ActorKind.ORGANISATION
        ]

    def guess(self, name: str, address: str = "") -> ActorGuess:
        return guess_actor(name, address, known=self.known)

    def match(self, display_name: str, address: str) -> Participant:
        participant = Participant(display_name=display_name, address=address)
        address_key = (address or "").strip().lower()
        candidates = [("address", a) for a in self.by_address.get(address_key, ())] if address_key else []
        name_key = folded_name(display_name)
        if name_key:
            named = self.by_name.get(name_key, ())
            candidates += [("name", a) for a in named if a.retired_at is None]
            candidates += [("name", a) for a in named if a.retired_at is not None]
        for how, actor in candidates:
            if actor.retired_at is not None:
                survivor = self.survivor_of(actor)
                if survivor is not None:
                    participant.actor, participant.how, participant.merged_from = survivor, how, actor
                    return participant
                if how == "name" and actor.name.casefold() != participant.name.casefold():
                    continue  # a retired near-namesake is not offered; only its very name (which is taken) is
            participant.actor, participant.how = actor, how
            return participant
        participant.guess = self.guess(participant.name, address)
        return participant

    def survivor_of(self, actor: Actor) -> Actor | None:
        """The live actor a retired one was merged into (following merges of merges), or None."""
        if actor.pk not in self._survivors:
            self._survivors[actor.pk] = self._follow(actor)
        return self._survivors[actor.pk]

    def _follow(self, actor: Actor) -> Actor | None:
        by_id = {a.pk: a for a in self.actors}
        seen = set()
        while actor.retired_at is not None and actor.pk not in seen and len(seen) < _MAX_MERGE_HOPS:
            seen.add(actor.pk)
            merge = (
                Actor.history.filter(id=actor.pk, history_change_reason__startswith=MERGED_PREFIX)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if merge is None:
                return None
            kept_name = merge.history_change_reason[len(MERGED_PREFIX) :].split("”: ", 1)[0]
            # the actor of that name at the time of the merge, whatever it is called now
            kept = (
                Actor.history.filter(matter_id=self.matter.pk, name=kept_name, history_date__lte=merge.history_date)
                .exclude(id=actor.pk)
                .order_by("-history_date", "-history_id")
                .first()
            )
            if kept is None or kept.id not in by_id:
                return None
            actor = by_id[kept.id]
        return actor if actor.retired_at is None else None


def email_participants(*, matter: Matter, parsed) -> list[Participant]:
    """The message's sender and recipients (a ParsedEmail), each matched once: two addresses of one actor, or one
    person in To and Cc, are one participant."""
    cast = Cast(matter)
    found: dict[str, Participant] = {}
    for role, people in (("from", parsed.sender), ("to", parsed.to), ("cc", parsed.cc), ("bcc", parsed.bcc)):
        for display_name, address in people:
            participant = cast.match(display_name, address)
            if not participant.name:
                continue
            key = f"actor:{participant.actor.pk}" if participant.actor else f"new:{participant.name.casefold()}"
            kept = found.setdefault(key, participant)
            if role not in kept.roles:
                kept.roles.append(role)
            if kept.is_new and address and address.lower() not in {a.lower() for a in kept.addresses}:
                kept.other_addresses.append(address)
    return list(found.values())
