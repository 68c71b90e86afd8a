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
        # The calendar shows an open referral or an emergency answer on the visit's block.
        from unknot.records.calendar_flags import FLAGS

        for flag in FLAGS:
            hooks.register_calendar_flag(flag)
