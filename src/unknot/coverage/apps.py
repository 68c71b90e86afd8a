from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "unknot.coverage"
    label = "coverage"
