"""/api/v1/: the documented REST API (namespace "api")."""

urlpatterns: list[object] = []
