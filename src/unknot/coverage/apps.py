from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "unknot.coverage"
    label = "coverage"

    def ready(self) -> None:
        # Booking sits below coverage and cannot import it: before staff book, it asks what
        # coverage registers here whether the visits go past an authorisation (a warning).
        from unknot.booking import hooks
        from unknot.coverage.authorisations import booking_warnings

        hooks.register(booking_warnings=booking_warnings)
