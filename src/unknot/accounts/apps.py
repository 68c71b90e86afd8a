from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unknot.accounts"
    label = "accounts"
