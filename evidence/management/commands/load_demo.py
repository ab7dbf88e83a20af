"""python manage.py load_demo [--user USERNAME] [--password PASSWORD] [--url URL]

The demo matter (evidence/demo/matter.py) written through the services, as a paralegal would enter it, so it carries
history like real data: its events citing the article, and its tracked sources with their versions. Running it again
adds only what is missing.
"""

import datetime as dt
import hashlib
import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from evidence.admin.groups import ensure_role_groups
from evidence.demo import matter as demo
from evidence.models import Audience, Citation, Document, Event, Matter, Role, TrackedSource
from evidence.permissions import role_in
from evidence.services.actors import actor_get_or_create
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake
from evidence.services.events import event_create
from evidence.services.matters import matter_create, membership_set
from evidence.services.sources import audience_create, source_create, version_add_upload

REASON = "demo matter loaded"


class Command(BaseCommand):
    help = "Create (or leave as it is) the demo matter from the DMR News article of Jan 24, 2025, and a demo user."

    def add_arguments(self, parser):
        # Unlike the other commands' --user (evidence/management/acting_user.py), this one names the login the
        # command creates: on a fresh install there is nobody else to act.
        parser.add_argument(
            "--user",
            "--username",
            dest="username",
            metavar="USERNAME",
            default="paralegal",
            help="Who loads the demo and logs in to it; the history records them. Created as a staff member with "
            "--password when missing. Default: paralegal.",
        )
        parser.add_argument("--password", default="demo-password", help="The password of a user it creates.")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the app is served, for the message.")

    @transaction.atomic
    def handle(self, *args, username, password, url, **options):
        user = self._user(username, password)
        matter = self._matter(user)
        self._grant(user, matter)
        for name, kind in demo.ACTORS.items():
            actor_get_or_create(matter=matter, name=name, kind=kind, user=user, reason=REASON)
        article = self._article(matter, user)
        created = self._events(matter, user, article)
        versions = self._sources(matter, user)
        self.stdout.write(
            self.style.SUCCESS(f"Demo matter “{matter.short_title}”: {created} events created, "
                               f"{matter.events.count()} in all, exhibit {article.exhibit_label}; "
                               f"{versions} versions of tracked sources added.")
        )  # fmt: skip
        self.stdout.write(f"Log in at {url} as {username} / {password} (the admin is at {url}admin/).")

    def _user(self, username: str, password: str):
        user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(password)
            user.save()
        return user

    def _grant(self, user, matter: Matter) -> None:
        """The model permissions of the user's role in the demo matter, through its group; the admin narrows them to
        the matters he is a member of. Earlier demos gave every permission of the app through "Litigation team"."""
        user.groups.remove(*Group.objects.filter(name="Litigation team"))
        user.groups.add(ensure_role_groups()[role_in(user, matter)])

    def _matter(self, user) -> Matter:
        matter = Matter.objects.filter(slug=demo.MATTER["slug"]).first()
        if matter is None:
            fields = {k: v for k, v in demo.MATTER.items() if k not in {"slug", "short_title"}}
            return matter_create(
                user=user, slug=demo.MATTER["slug"], short_title=demo.MATTER["short_title"], reason=REASON, **fields
            )
        if not matter.memberships.filter(user=user).exists():
            membership_set(matter=matter, user=user, member=user, role=Role.EDITOR, reason=REASON)
        return matter

    def _article(self, matter: Matter, user) -> Document:
        with demo.ARTICLE.open("rb") as fh:
            return document_intake(
                matter=matter, user=user, file=fh, filename=demo.ARTICLE.name, title=demo.ARTICLE_TITLE,
                date=demo.ARTICLE_DATE, author=demo.ARTICLE_AUTHOR, reason=REASON,
            ).document  # fmt: skip

    def _events(self, matter: Matter, user, article: Document) -> int:
        """The demo's events that are missing, each citing the article; returns how many were created."""
        created = 0
        for order, (ext_id, date, kind, status, key, title, description, actors, issues, pinpoint) in enumerate(
            demo.EVENTS
        ):
            event = Event.objects.filter(matter=matter, external_id=ext_id).first()
            if event is None:
                event = event_create(
                    matter=matter, user=user, date=date, title=title, description=description, kind=kind,
                    status=status, is_key=key, external_id=ext_id, order=order, actors=actors, issues=issues,
                    citations=[(article, pinpoint, "")], reason=REASON,
                )  # fmt: skip
                created += 1
            elif not Citation.objects.filter(event=event, document=article, pinpoint=pinpoint).exists():
                citation_create(event=event, document=article, pinpoint=pinpoint, user=user, reason=REASON)
        return created

    def _sources(self, matter: Matter, user) -> int:
        """The demo's tracked sources, audiences and versions that are missing; returns how many versions were added.
        Every source is marked illustrative: its versions were written for the demo."""
        audiences = {}
        for name, description in demo.AUDIENCES.items():
            audiences[name] = Audience.objects.filter(matter=matter, name=name).first() or audience_create(
                matter=matter, user=user, name=name, description=description, reason=REASON
            )
        added = 0
        for name, kind, url, description, versions in demo.SOURCES:
            source = TrackedSource.objects.filter(matter=matter, name=name).first() or source_create(
                matter=matter, user=user, name=name, kind=kind, url=url, description=description,
                is_illustrative=True, reason=REASON,
            )  # fmt: skip
            for filename, title, method, captured, first_seen, effective, names in versions:
                content = (demo.SOURCE_FILES / filename).read_bytes()
                if source.versions.filter(document__sha256=hashlib.sha256(content).hexdigest()).exists():
                    continue
                version_add_upload(
                    source=source, file=io.BytesIO(content), filename=filename, title=title, user=user,
                    capture_method=method, captured_at=dt.datetime.fromisoformat(captured),
                    first_seen=first_seen or None, effective=effective or None,
                    audiences=[audiences[n] for n in names], reason=REASON,
                )  # fmt: skip
                added += 1
        return added
