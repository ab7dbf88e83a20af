from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "evidence"
    verbose_name = "Case Timeline"

    def ready(self):
        from evidence.services import chain

        chain.connect()
