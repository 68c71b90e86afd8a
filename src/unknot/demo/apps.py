from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo practice, installed as an app for its commands (demo_load, demo_logins)."""

    name = "unknot.demo"
    label = "demo"
