"""The outbox page names every kind of email in words (the emails' own text: the labels test
in tests/booking/test_safety_calls.py)."""


def test_every_kind_of_email_has_a_label_on_the_outbox_page() -> None:
    from unknot.booking import cancel_together, notifications
    from unknot.breakglass import notify
    from unknot.records.intake import alerts
    from unknot.site.templatetags.labels import EMAIL_KINDS

    kinds = {
        "confirmation",
        "reminder",
        "cancellation",
        "question",
        "acknowledgement",
        alerts.KIND,
        notifications.CALL_FIRST_ALERT,
        cancel_together.KIND,
        notify.KIND,
    }
    assert kinds <= set(EMAIL_KINDS)  # fmt: skip
