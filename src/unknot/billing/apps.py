from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "unknot.billing"
    label = "billing"
