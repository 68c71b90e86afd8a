from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "unknot.records"
    label = "records"

    def ready(self) -> None:
        # Booking sits below records and cannot import it: it runs what records hands it here
        # (a booked evaluation opens the episode; its confirmation links to the intake).
        from unknot.booking import hooks
        from unknot.records.intake.links import booking_intake_url
        from unknot.records.services import episode_for_new_evaluation

        hooks.register(after_booked=episode_for_new_evaluation, intake_link=booking_intake_url)
