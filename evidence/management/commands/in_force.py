"""python manage.py in_force --matter SLUG --date DATE [--audience NAME] [--user USERNAME]

Prints each tracked source of the matter with the version or versions in force on DATE, the versions around them and
why: the answer of the "In force on" page (evidence.tracked.in_force), read through the page's form, so the date is
read as the page reads it (any precision: "Aug 15, 2024", "Aug 2024", "Q3 2024", "2024", "c. Sept 2024") and the
audience must be one of the matter's. The acting user must be a member of the matter (a viewer suffices).
"""

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from evidence.dates import display_instant
from evidence.forms.in_force import DATE_HELP, InForceForm
from evidence.management.acting_user import acting_user, add_user_argument
from evidence.models import Matter, Role
from evidence.permissions import require_role
from evidence.text import shown
from evidence.tracked.in_force import in_force_for_matter


class Command(BaseCommand):
    help = "Print which version of each tracked source of a matter was in force on a date, and why."

    def add_arguments(self, parser):
        parser.add_argument("--matter", required=True, help="The matter's slug.")
        parser.add_argument("--date", required=True, help=f"The date asked about. {DATE_HELP}")
        parser.add_argument("--audience", help="One of the matter's audiences, by name. Default: everyone.")
        add_user_argument(parser)

    def handle(self, *args, matter, date, audience=None, user=None, **options):
        matter_obj = Matter.objects.filter(slug=matter).first()
        if matter_obj is None:
            raise CommandError(f"No matter with the slug {matter!r}.")
        account = acting_user(user)
        try:
            require_role(account, matter_obj, Role.VIEWER)
        except Http404:  # not a member: told as for a matter that does not exist, as the pages do
            raise CommandError(f"No matter with the slug {matter!r} that {account} may see.") from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        chosen = None
        if audience:
            chosen = matter_obj.audiences.filter(name__iexact=audience.strip()).first()
            if chosen is None:
                names = ", ".join(f"“{shown(a.name)}”" for a in matter_obj.audiences.order_by("name")) or "none"
                raise CommandError(f"No audience “{shown(audience)}” in {matter_obj.slug}; its audiences: {names}.")
        form = InForceForm({"date": date, "audience": chosen.pk if chosen else ""}, matter=matter_obj)
        if not form.is_valid():
            raise CommandError(" ".join(e for errors in form.errors.values() for e in errors))
        query = form.cleaned_data["date"]
        rows = in_force_for_matter(matter=matter_obj, query=query, audience=chosen)
        who = f"for {shown(chosen.name)}" if chosen else "for everyone"
        covers = rows[0].result.covers if rows else ""
        self.stdout.write(f"In force on {query.display()} ({covers}) in {matter_obj.slug}, {who}.")
        for note in rows[0].result.notes if rows else ():
            self.stdout.write(note)
        if not rows:
            self.stdout.write("The matter tracks no source.")
        for row in rows:
            self._source(row)

    def _source(self, row):
        source, result = row.source, row.result
        flag = " (illustrative text, not the real wording)" if source.is_illustrative else ""
        self.stdout.write("")
        self.stdout.write(f"{shown(source.name)} [{source.get_kind_display()}]{flag}")
        if result.depends_on_audience:
            self.stdout.write("  The answer depends on the audience:")
        for answer in result.answers:
            scope = f"{shown(answer.scope)}: " if result.depends_on_audience or result.audience else ""
            self.stdout.write(f"  {scope}{answer.summary}")
            for facts in answer.versions:
                self.stdout.write(f"    {_line(facts)}")
            for reason in answer.reasons:
                self.stdout.write(f"    - {reason}")


def _line(facts) -> str:
    """ "v2  PX-7  effective Aug 15, 2024; first seen Aug 1, 2024; for Premium members" """
    version = facts.ref
    parts = [
        f"effective {facts.effective.display()}" if not facts.effective.undated else "",
        f"first seen {facts.first_seen.display()}" if not facts.first_seen.undated else "",
        f"captured {display_instant(version.captured_at, version.matter.time_zone)}" if version.captured_at else "",
        f"for {', '.join(sorted(map(shown, facts.audiences), key=str.casefold))}" if facts.audiences else "",
    ]
    return f"{facts.label}  {version.document.exhibit_label}  " + "; ".join(p for p in parts if p)
