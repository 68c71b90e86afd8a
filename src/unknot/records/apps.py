from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "unknot.records"
    label = "records"
