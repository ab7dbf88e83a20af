from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management.base import BaseCommand
from django.db import transaction

from evidence.demo import matter as demo
from evidence.models import Citation, Event, Matter, Role
from evidence.services.actors import actor_get_or_create
from evidence.services.citations import citation_create
from evidence.services.documents import document_intake
from evidence.services.events import event_create
from evidence.services.matters import matter_create, membership_set

REASON = "demo matter loaded"


class Command(BaseCommand):
    help = "Create (or leave as it is) the demo matter from the DMR News article of Jan 24, 2025, and a demo user."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="paralegal")
        parser.add_argument("--password", default="demo-password")
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Where the app is served, for the message.")

    @transaction.atomic
    def handle(self, *args, username, password, url, **options):
        user = self._user(username, password)
        matter = Matter.objects.filter(slug=demo.MATTER["slug"]).first()
        if matter is None:
            fields = {k: v for k, v in demo.MATTER.items() if k not in {"slug", "short_title"}}
            matter = matter_create(
                user=user, slug=demo.MATTER["slug"], short_title=demo.MATTER["short_title"], reason=REASON, **fields
            )
        elif not matter.memberships.filter(user=user).exists():
            membership_set(matter=matter, user=user, member=user, role=Role.EDITOR, reason=REASON)

        for name, kind in demo.ACTORS.items():
            actor_get_or_create(matter=matter, name=name, kind=kind, user=user, reason=REASON)

        with demo.ARTICLE.open("rb") as fh:
            article = document_intake(
                matter=matter,
                user=user,
                file=fh,
                filename=demo.ARTICLE.name,
                title=demo.ARTICLE_TITLE,
                date="Jan 24, 2025",
                author="Yasmeeta Oon (DMR News)",
                reason=REASON,
            ).document

        created = 0
        for order, (ext_id, date, kind, status, key, title, description, actors, issues, pinpoint) in enumerate(
            demo.EVENTS
        ):
            event = Event.objects.filter(matter=matter, external_id=ext_id).first()
            if event is None:
                event = event_create(
                    matter=matter, user=user, date=date, title=title, description=description, kind=kind,
                    status=status, is_key=key, external_id=ext_id, order=order, actors=actors, issues=issues,
                    reason=REASON,
                )  # fmt: skip
                created += 1
            if not Citation.objects.filter(event=event, document=article, pinpoint=pinpoint).exists():
                citation_create(event=event, document=article, pinpoint=pinpoint, user=user, reason=REASON)

        self.stdout.write(
            self.style.SUCCESS(f"Demo matter “{matter.short_title}”: {created} events created, "
                               f"{matter.events.count()} in all, exhibit {article.exhibit_label}.")
        )  # fmt: skip
        self.stdout.write(f"Log in at {url} as {username} / {password} (the admin is at {url}admin/).")

    def _user(self, username, password):
        User = get_user_model()
        user, created = User.objects.get_or_create(username=username, defaults={"is_staff": True})
        if created:
            user.set_password(password)
            user.save()
        group, _ = Group.objects.get_or_create(name="Litigation team")
        group.permissions.set(Permission.objects.filter(content_type__app_label="evidence"))
        user.groups.add(group)
        return user
