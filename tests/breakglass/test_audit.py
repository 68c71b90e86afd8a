"""What break-glass leaves in the audit trail: the opening, every read, the grants; never the
reason's words."""

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.breakglass.conftest import REASON, Scene, open_record, signed_in
from unknot.audit.chain import BODY_FIELDS
from unknot.audit.models import AuditEvent
from unknot.breakglass import services
from unknot.breakglass.models import BreakGlassAccess


def test_opening_and_each_read_are_recorded_as_break_glass(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    client.get(reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk]))
    client.get(reverse("clinical:episode", args=[scene.episode_p.pk]))
    opening = BreakGlassAccess.objects.get()
    rows = AuditEvent.objects.filter(action="break_glass", actor_id=scene.cast.therapist_b.pk)
    seen = {(e.object_type, e.object_id, e.outcome, e.reason) for e in rows}
    assert seen == {
        ("break_glass_access", str(opening.pk), "allowed", "emergency_care"),
        ("patient", str(scene.cast.patient_p.pk), "allowed", "emergency_care"),
        ("episode", str(scene.episode_p.pk), "allowed", "emergency_care"),
    }
    assert {e.patient_id for e in rows} == {scene.cast.patient_p.pk}
    assert {e.clinic_id for e in rows} == {scene.cast.clinic_a.pk}
    # The break-glass path records break_glass instead of read: no ordinary read, no refusal.
    others = AuditEvent.objects.filter(actor_id=scene.cast.therapist_b.pk).exclude(
        action__in=("break_glass", "sign_in")
    )
    assert list(others.values_list("action", "outcome")) == []


def test_no_row_holds_the_reason_or_the_patients_name(scene: Scene) -> None:
    before = AuditEvent.objects.order_by("pk").last()  # the scene's own writes come before
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    client.get(reverse("clinical:patient_episodes", args=[scene.cast.patient_p.pk]))
    words = [w.lower() for w in REASON.split() if len(w) > 3] + ["penny", "parker", "1985"]
    for event in AuditEvent.objects.filter(pk__gt=before.pk if before else 0):
        text = " ".join(str(getattr(event, name)) for name in BODY_FIELDS).lower()
        assert not [w for w in words if w in text], text


def test_a_refused_read_after_expiry_is_an_ordinary_denied_read(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    BreakGlassAccess.objects.update(expires_at=timezone.now())
    client.get(reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk]))
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    assert (last.action, last.outcome, last.reason) == ("read", "denied", "not_visible")


def test_grant_and_revoke_are_permission_changes(scene: Scene) -> None:
    services.revoke(by=scene.owner, grant=scene.grant, now=timezone.now())
    rows = AuditEvent.objects.filter(action="permission_change").order_by("id")
    assert [(e.actor_id, e.object_type, e.object_id, e.reason) for e in rows] == [
        (scene.owner.pk, "account", str(scene.cast.therapist_b.pk), "break_glass_granted"),
        (scene.owner.pk, "account", str(scene.cast.therapist_b.pk), "break_glass_revoked"),
    ]


def test_ending_early_is_recorded_and_the_chain_holds(scene: Scene, capsys: object) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    opening = BreakGlassAccess.objects.get()
    client.post(reverse("breakglass:end", args=[opening.pk]))
    assert AuditEvent.objects.filter(action="break_glass", reason="ended").count() == 1
    call_command("verify_audit")
