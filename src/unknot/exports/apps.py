from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "unknot.exports"
    label = "exports"
    verbose_name = "Exports and feeds"
