from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "unknot.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from django.contrib.auth import signals as auth
        from django.db.backends.signals import connection_created

        from unknot.accounts import signals as second_factor
        from unknot.audit import signals

        auth.user_logged_in.connect(signals.signed_in, dispatch_uid="audit_sign_in")
        auth.user_logged_out.connect(signals.signed_out, dispatch_uid="audit_sign_out")
        auth.user_login_failed.connect(signals.sign_in_failed, dispatch_uid="audit_sign_in_failed")
        second_factor.second_factor_verified.connect(
            signals.second_factor_passed, dispatch_uid="audit_second_factor_passed"
        )
        second_factor.second_factor_failed.connect(
            signals.second_factor_refused, dispatch_uid="audit_second_factor_refused"
        )
        connection_created.connect(
            signals.let_the_test_runner_empty_the_table, dispatch_uid="audit_test_truncate"
        )
