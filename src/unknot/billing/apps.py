from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "unknot.billing"
    label = "billing"

    def ready(self) -> None:
        # Plans sits below billing and cannot import it: a signed visit note is handed to
        # billing here, and becomes the visit's charge in the signing's transaction.
        from unknot.billing.charging import charge_from_signed_visit
        from unknot.plans import hooks

        hooks.register(after_visit_signed=charge_from_signed_visit)
