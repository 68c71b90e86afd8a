from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "unknot.portal"
    label = "portal"
