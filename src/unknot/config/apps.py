from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project's own wiring, installed as an app for its commands (the doc tables)."""

    name = "unknot.config"
    label = "config"
