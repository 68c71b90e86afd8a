from django.apps import AppConfig


class PaperworkConfig(AppConfig):
    name = "unknot.paperwork"
    label = "paperwork"

    def ready(self) -> None:
        # The staff's patient page belongs to `patients`, below this app: it shows the
        # "Forms not signed" flag through the hook registered here.
        from unknot.paperwork.selectors import page_flags
        from unknot.patients import hooks

        hooks.register(flags=page_flags)
