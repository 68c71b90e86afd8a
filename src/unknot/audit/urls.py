"""/audit/: the auditors' report of the audit trail (namespace "audit")."""

urlpatterns: list[object] = []
