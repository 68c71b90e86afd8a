from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "unknot.accounts"
    label = "accounts"

    def ready(self) -> None:
        from unknot.accounts import signals  # noqa: F401  (connects the receivers)
