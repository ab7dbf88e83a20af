"""Settings for the test suite: the real settings, with a throwaway key and fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only")

from casetimeline.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "exports", "imports"],
    }
}
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_AUTOREFRESH = True  # no collectstatic in tests; serve from the finders
SECURE_SSL_REDIRECT = False  # the test client and the browser tests' live server speak plain HTTP
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Most tests log in with force_login and never fail a password; the lockout tests (tests/accounts/) turn axes on.
AXES_ENABLED = False
