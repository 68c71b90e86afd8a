from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "unknot.api"
    label = "api"
