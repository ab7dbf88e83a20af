"""Rate limits (settings.REST_FRAMEWORK's DEFAULT_THROTTLE_RATES): per user, whichever of the user's tokens is used,
so that making more tokens buys no more requests; per address for what is open without a token (the schema and its
docs page)."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class _SettingsRate:
    def get_rate(self):
        # Read when asked, not once at import as DRF's classes do, so that a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class UserThrottle(_SettingsRate, UserRateThrottle):
    scope = "api_user"


class AnonThrottle(_SettingsRate, AnonRateThrottle):
    scope = "api_anon"
