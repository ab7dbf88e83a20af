"""Accounts: throttled logins (django-axes), optional two-factor login (django-otp), the middleware that enforces
it, who may create matters, and no-store caching for signed-in pages.

Invitations to a matter are in ``evidence.services.invitations``; the pages in ``evidence.views.accounts``.
"""
