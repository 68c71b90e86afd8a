from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "unknot.site"
    label = "site"
