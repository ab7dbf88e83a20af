from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "evidence.accounts"
    label = "evidence_accounts"
    verbose_name = "Case Timeline accounts"

    def ready(self):
        from evidence.accounts import middleware  # noqa: F401  (connects the login receiver)
