from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "unknot.plans"
    label = "plans"
