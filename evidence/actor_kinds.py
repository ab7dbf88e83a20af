"""Is a new actor a person or an organisation? The one guess, from the name and the e-mail address, used wherever an
actor is created on the fly (the event form, the grid's cell editor and bulk add, the import, e-mail intake, the API).

A guess, never a certainty: it says why (`ActorGuess.why`), the forms that create actors show it and let the user
choose otherwise, and the people page changes a kind later. The signals, strongest first:

1. the name: a legal-entity suffix ("Inc.", "LLC", "GmbH", "S.A.", "plc"…), a word institutions are named by
   ("Corporation", "University", "Court", "Department of"…), an acronym in capitals ("FTC"), or the name of a domain
   the matter's actors write from ("LinkedIn" when someone writes from linkedin.com);
2. the address: a role mailbox (privacy@, noreply@, legal@…) is an organisation's, a first.last@ one a person's;
3. the name again, weakly: one word with an inner capital, as companies write themselves ("LinkedIn", "DuckDuckGo");
4. otherwise a person, the common case of a name typed for an event.

The address's domain also suggests the actor's organisation (`ActorGuess.organisation`): the matter's organisation
actor known by that domain, else the domain itself; never a webmail provider's.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from evidence.models import ActorKind


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Ends a company's name, alone or after a comma: "LinkedIn Corp.", "Acme, Inc.", "Siemens AG". Compared without dots
# and case, so "L.L.C." and "llc", "S.A." and "SA" are one.
LEGAL_SUFFIXES = words(
    "inc incorporated llc ltd limited corp corporation co company plc llp lp gmbh ag kg sa sas sarl spa srl sl "
    "nv bv pty pte oy ab asa as se kk pc pllc lllp"
)
# Words that name an institution wherever they stand in the name: "Stanford University", "U.S. District Court".
INSTITUTION_WORDS = words(
    "corporation company university college school academy court tribunal department dept ministry agency "
    "commission committee council bureau authority board institute institution foundation association society "
    "union federation bank hospital clinic government parliament congress senate police office group holdings "
    "partners associates consulting solutions services systems technologies labs laboratories network networks "
    "news newspaper press media times journal gazette magazine team inc llc ltd gmbh plc llp"
)
# Names that open with these are offices and bodies: "Department of Justice", "State of California".
INSTITUTION_OPENINGS = ("department of", "office of", "ministry of", "state of", "city of", "county of", "people of",
                        "board of", "bureau of", "government of", "commonwealth of", "republic of", "kingdom of",
                        "united states", "u s ")  # fmt: skip
# Mailboxes that belong to a function, not to someone: the sender is the organisation.
ROLE_MAILBOXES = words(
    "privacy noreply no-reply no_reply donotreply do-not-reply do_not_reply info information legal support help "
    "helpdesk contact contactus admin administrator press media news newsletter newsletters team hello sales billing "
    "accounts accounting notifications notification notify alerts alert security abuse postmaster webmaster "
    "hostmaster hr jobs careers recruiting office mail mailer mailer-daemon service services customerservice "
    "customercare care feedback marketing compliance dpo dataprotection gdpr inquiries enquiries updates messages "
    "members membership reply replies community partners communications comms ir investors investor-relations "
    "counsel ethics registrar clerk docketing filings courtclerk ecf"
)
# Where anyone can have an address: no organisation follows from the domain.
WEBMAIL_DOMAINS = words(
    "gmail.com googlemail.com yahoo.com yahoo.co.uk ymail.com hotmail.com hotmail.co.uk outlook.com live.com msn.com "
    "aol.com icloud.com me.com mac.com proton.me protonmail.com pm.me gmx.com gmx.de gmx.net web.de mail.com "
    "yandex.com yandex.ru zoho.com fastmail.com hey.com tutanota.com qq.com 163.com"
)
# Registries' second levels, skipped to reach the name: "bbc.co.uk" -> "bbc".
_SECOND_LEVELS = words("co com org net gov ac edu ltd plc gob govt nic")
_PERSONAL_LOCAL = re.compile(r"^([a-z][a-z'-]+)[._]([a-z]\.?[._])?([a-z][a-z'-]+)\d{0,4}$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.?){2,8}$|^[A-Z][A-Z&]{1,7}$")
_INNER_CAPITAL = re.compile(r"^[A-Z][a-z]{2,}[A-Z][A-Za-z]*$")
_SURNAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "Fitz", "St")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True)
class ActorGuess:
    kind: str  # an ActorKind value
    why: str  # "the name ends in “Inc.”", said after "organisation, because…"
    organisation: str = ""  # suggested for the actor's organisation field: "LinkedIn" from linkedin.com

    @property
    def kind_label(self) -> str:
        return ActorKind(self.kind).label

    @property
    def described(self) -> str:
        """ "organisation (the name ends in “Inc.”)", as the pages say it."""
        return f"{self.kind_label.lower()} ({self.why})"


@dataclass(frozen=True)
class KnownOrganisation:
    """An organisation actor of the matter, with the domains it writes from: what a name or a domain is matched
    against."""

    name: str
    domains: frozenset[str] = frozenset()


def folded(text: str) -> str:
    """Lower case, without diacritics or punctuation, one space between words: "Doe, Jané" -> "doe jane"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD.findall(plain.replace("’", "'").replace("'", "")))


def domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().lower() if "@" in (address or "") else ""


def domain_name(domain: str) -> str:
    """The part of a domain an organisation is named by: "mail.linkedin.com" -> "linkedin", "bbc.co.uk" -> "bbc"."""
    labels = [label for label in domain.lower().split(".") if label]
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVELS and len(labels[-1]) == 2:
        labels = labels[:-2]
    elif len(labels) >= 2:
        labels = labels[:-1]
    return labels[-1] if labels else ""


def guess_actor(name: str, address: str = "", *, known: Iterable[KnownOrganisation] = ()) -> ActorGuess:
    """The kind a new actor named `name` (and writing from `address`, if known) most likely is, and why; `known`: the
    matter's organisation actors (see known_organisations in evidence.actor_matching)."""
    known = list(known)
    address = (address or "").strip()
    domain = domain_of(address)
    organisation = _organisation_of(domain, known)
    by_name = _strong_name_sign(name or "", known)
    if by_name:
        return ActorGuess(ActorKind.ORGANISATION, by_name, organisation)
    if domain:
        local = address.rpartition("@")[0].strip().lower()
        mailbox = local.split("+", 1)[0]
        if mailbox in ROLE_MAILBOXES or mailbox.replace(".", "") in ROLE_MAILBOXES:
            return ActorGuess(ActorKind.ORGANISATION, f"the address {address} is a role mailbox ({mailbox}@)",
                              organisation)  # fmt: skip
        if folded(name) and folded(name).replace(" ", "") == domain_name(domain):
            return ActorGuess(ActorKind.ORGANISATION, f"the name is the name of the domain {domain}", organisation)
        if _PERSONAL_LOCAL.match(mailbox):
            return ActorGuess(ActorKind.PERSON, f"the address {address} is a personal one ({mailbox}@)", organisation)
    words = (name or "").split()
    if len(words) == 1 and _INNER_CAPITAL.match(words[0]) and not words[0].startswith(_SURNAME_PREFIXES):
        return ActorGuess(ActorKind.ORGANISATION, f"“{words[0]}” is written as companies write their names",
                          organisation)  # fmt: skip
    return ActorGuess(ActorKind.PERSON, "nothing in the name or address says organisation", organisation)


def _strong_name_sign(name: str, known: list[KnownOrganisation]) -> str:
    """Why the name itself is an organisation's, or ""."""
    words = name.replace(",", " ").split()
    if not words:
        return ""
    last = words[-1]
    bare = last.replace(".", "")
    # a short suffix counts only as companies write it ("AG", "S.A.", "Co."), not as a name's last syllable might be
    if len(words) > 1 and bare.casefold() in LEGAL_SUFFIXES and (len(bare) > 2 or bare.isupper() or "." in last):
        return f"the name ends in “{last}”"
    plain = folded(name)
    for word in words:
        if word.replace(".", "").casefold() in INSTITUTION_WORDS and word[:1].isupper():
            return f"the name has the word “{word.strip('.,')}”"
    opening = next((o for o in INSTITUTION_OPENINGS if (plain + " ").startswith(o)), "")
    if opening:
        return f"the name begins with “{' '.join(words[: len(opening.split())])}”"
    if len(words) == 1 and _ACRONYM.match(last):
        return f"“{last}” is an acronym in capitals"
    squashed = plain.replace(" ", "")
    for organisation in known:
        if any(squashed == domain_name(d) for d in organisation.domains):
            return f"it is the name of the domain {min(organisation.domains)} of “{organisation.name}”"
    return ""


def _organisation_of(domain: str, known: list[KnownOrganisation]) -> str:
    if not domain or domain in WEBMAIL_DOMAINS:
        return ""
    stem = domain_name(domain)
    for organisation in known:
        if domain in organisation.domains or (stem and folded(organisation.name).replace(" ", "") == stem):
            return organisation.name
    return domain
