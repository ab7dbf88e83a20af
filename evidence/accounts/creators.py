"""Who may create matters: MATTER_CREATORS is "everyone" (any active user) or the name of a group."""

from django.conf import settings

EVERYONE = "everyone"


def may_create_matters(user) -> bool:
    if not user or not user.is_authenticated or not user.is_active:
        return False
    creators = settings.MATTER_CREATORS
    if creators == EVERYONE or user.is_superuser:
        return True
    return user.groups.filter(name=creators).exists()
