from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "unknot.outbox"
    label = "outbox"
