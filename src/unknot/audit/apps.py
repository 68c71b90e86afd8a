from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "unknot.audit"
    label = "audit"
