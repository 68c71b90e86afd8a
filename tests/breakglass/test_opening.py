"""Opening a record by break-glass: who may, what it takes, and what it opens (one patient,
read-only, for a while)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.breakglass.conftest import REASON, Scene, open_record, signed_in
from tests.personas import Cast
from unknot.audit.models import AuditEvent
from unknot.breakglass import services
from unknot.breakglass.models import BreakGlassAccess


def record_pages(scene: Scene) -> list[str]:
    patient, episode = scene.cast.patient_p, scene.episode_p
    return [
        reverse("staffarea:patient_detail", args=[patient.pk]),
        reverse("clinical:patient_episodes", args=[patient.pk]),
        reverse("clinical:episode", args=[episode.pk]),
        reverse("booking:staff_patient_appointments", args=[patient.pk]),
        reverse("home_programme:episode_progress", args=[episode.pk]),
        reverse("home_programme:episode_report", args=[episode.pk]),
    ]


def test_without_a_grant_the_page_refuses_and_nothing_opens(cast: Cast) -> None:
    client = signed_in(cast.therapist_b)
    assert client.get(reverse("breakglass:start")).status_code == 403
    response = open_record(client, cast.patient_p)
    assert response.status_code == 403
    assert not BreakGlassAccess.objects.exists()
    refused = AuditEvent.objects.get(action="break_glass")
    assert (refused.outcome, refused.reason, refused.patient_id) == (
        "denied",
        "not_authorised",
        None,
    )
    detail = reverse("staffarea:patient_detail", args=[cast.patient_p.pk])
    assert client.get(detail).status_code == 404


def test_front_desk_and_auditors_cannot_use_it(cast: Cast) -> None:
    for user in (cast.front_desk_a, cast.auditor):
        assert signed_in(user).get(reverse("breakglass:start")).status_code == 403
        assert open_record(signed_in(user), cast.patient_q).status_code == 403
    assert not BreakGlassAccess.objects.exists()


def test_a_reason_is_required(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    for reason in ("", "   ", "urgent", "very urgent"):
        response = open_record(client, scene.cast.patient_p, reason=reason)
        assert response.status_code == 400
    assert b"at least 3 words" in response.content
    assert open_record(client, scene.cast.patient_p, category="").status_code == 400
    assert not BreakGlassAccess.objects.exists()


def test_only_exact_identifiers_find_a_patient(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    for wrong in ({"first_name": "Pen"}, {"last_name": "Park"}, {"date_of_birth": "1985-05-18"}):
        response = open_record(client, scene.cast.patient_p, **wrong)
        assert response.status_code == 400
        assert b"No record matches exactly" in response.content
    assert not BreakGlassAccess.objects.exists()
    refusals = AuditEvent.objects.filter(action="break_glass", outcome="denied", reason="no_match")
    assert refusals.count() == 3


def test_case_and_spaces_do_not_matter(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    response = open_record(client, scene.cast.patient_p, first_name=" penny ", last_name="PARKER")
    assert response.status_code == 302
    assert BreakGlassAccess.objects.filter(patient=scene.cast.patient_p).exists()


def test_two_records_with_the_same_identifiers_need_the_clinic(scene: Scene) -> None:
    twin = factories.patient("Penny", "Parker", scene.cast.clinic_b, login=False)
    client = signed_in(scene.cast.therapist_a)  # therapist_a has no grant: give one
    services.grant(by=scene.owner, staff=scene.cast.therapist_a.staff_member, now=timezone.now())
    response = open_record(client, scene.cast.patient_p)
    # therapist_a sees the clinic A Penny already; the clinic B twin makes the search ambiguous.
    assert response.status_code == 400
    assert b"choose the patient" in response.content
    chosen = open_record(client, twin, clinic=scene.cast.clinic_b.pk)
    assert chosen.status_code == 302
    assert BreakGlassAccess.objects.get().patient == twin


def test_a_patient_of_ones_own_clinic_opens_normally(scene: Scene) -> None:
    response = open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_q)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "staffarea:patient_detail", args=[scene.cast.patient_q.pk]
    )
    assert not BreakGlassAccess.objects.exists()


def test_opening_lets_the_record_pages_through_with_a_banner(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    response = open_record(client, scene.cast.patient_p)
    detail = reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk])
    assert response.status_code == 302 and response["Location"] == detail
    opening = BreakGlassAccess.objects.get()
    assert opening.user == scene.cast.therapist_b and opening.reason == REASON
    assert opening.expires_at - opening.opened_at == dt.timedelta(minutes=60)
    for url in record_pages(scene):
        page = client.get(url)
        assert page.status_code == 200, url
        assert b"Emergency access" in page.content, url
        assert b"read-only" in page.content, url
    assert b"Parker" in client.get(detail).content
    episodes = client.get(reverse("clinical:patient_episodes", args=[scene.cast.patient_p.pk]))
    assert reverse("clinical:episode", args=[scene.episode_p.pk]).encode() in episodes.content
    appointments = client.get(
        reverse("booking:staff_patient_appointments", args=[scene.cast.patient_p.pk])
    )
    assert (
        reverse("booking:staff_appointment", args=[scene.appointment_p.pk]).encode()
        in appointments.content
    )


def test_the_banner_is_only_on_pages_read_by_break_glass(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    own = client.get(reverse("staffarea:patient_detail", args=[scene.cast.patient_q.pk]))
    assert own.status_code == 200
    assert b"Emergency access" not in own.content
    own_episodes = client.get(reverse("clinical:patient_episodes", args=[scene.cast.patient_q.pk]))
    assert (
        reverse("clinical:episode", args=[scene.episode_p.pk]).encode() not in own_episodes.content
    )


def test_only_the_one_patient_opens(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    other = scene.patient_r  # same clinic as P
    for url in (
        reverse("staffarea:patient_detail", args=[other.pk]),
        reverse("clinical:patient_episodes", args=[other.pk]),
        reverse("clinical:episode", args=[scene.episode_r.pk]),
        reverse("booking:staff_patient_appointments", args=[other.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Reed" not in response.content


def test_it_is_read_only(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    patient, episode = scene.cast.patient_p, scene.episode_p
    edit = client.post(
        reverse("staffarea:patient_edit", args=[patient.pk]),
        {"first_name": "Changed", "last_name": "Parker", "date_of_birth": "1985-05-17",
         "preferred_clinic": scene.cast.clinic_a.pk},
    )  # fmt: skip
    assert edit.status_code == 404
    patient.refresh_from_db()
    assert patient.first_name == "Penny"
    for url in (
        reverse("staffarea:patient_edit", args=[patient.pk]),
        reverse("clinical:evaluation_new", args=[episode.pk]),
        reverse("clinical:visit_new", args=[episode.pk]),
        reverse("intake:review_detail", args=[episode.pk]),
    ):
        assert client.get(url).status_code == 404, url
    comment = client.post(
        reverse("home_programme:episode_comment", args=[episode.pk]), {"comment": "x"}
    )
    discharge = client.post(reverse("home_programme:episode_discharge_confirm", args=[episode.pk]))
    assert comment.status_code == 404 and discharge.status_code == 404


def test_exports_and_apis_stay_closed(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    patient, episode = scene.cast.patient_p, scene.episode_p
    for url in (
        reverse("exports:patient_summary", args=[patient.pk]),
        reverse("exports:patient_bundle", args=[patient.pk]),
        reverse("home_programme:episode_report_pdf", args=[episode.pk]),
        reverse("home_programme:episode_handout_pdf", args=[episode.pk]),
        reverse("booking:staff_appointment", args=[scene.appointment_p.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_expiry_closes_the_record_again(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    detail = reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk])
    assert client.get(detail).status_code == 200
    past = timezone.now() - dt.timedelta(seconds=1)
    BreakGlassAccess.objects.update(expires_at=past)
    for url in record_pages(scene):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Parker" not in response.content


def test_the_expiry_setting_is_used(scene: Scene, settings: object) -> None:
    settings.BREAK_GLASS_MINUTES = 5  # type: ignore[attr-defined]
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    opening = BreakGlassAccess.objects.get()
    assert opening.expires_at - opening.opened_at == dt.timedelta(minutes=5)


def test_revoking_the_grant_closes_the_record(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    detail = reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk])
    assert client.get(detail).status_code == 200
    assert services.revoke(by=scene.owner, grant=scene.grant, now=timezone.now())
    assert client.get(detail).status_code == 404
    assert open_record(client, scene.cast.patient_p).status_code == 403


def test_a_change_of_role_closes_the_record(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    member = scene.cast.therapist_b.staff_member
    member.role = "front_desk"
    member.save()
    detail = reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk])
    assert client.get(detail).status_code == 404


def test_ending_early_closes_the_record(scene: Scene) -> None:
    client = signed_in(scene.cast.therapist_b)
    open_record(client, scene.cast.patient_p)
    opening = BreakGlassAccess.objects.get()
    response = client.post(reverse("breakglass:end", args=[opening.pk]))
    assert response.status_code == 302
    detail = reverse("staffarea:patient_detail", args=[scene.cast.patient_p.pk])
    assert client.get(detail).status_code == 404
    opening.refresh_from_db()
    assert opening.ended_at is not None


def test_someone_elses_opening_cannot_be_ended(scene: Scene) -> None:
    open_record(signed_in(scene.cast.therapist_b), scene.cast.patient_p)
    opening = BreakGlassAccess.objects.get()
    for user in (scene.cast.therapist_a, scene.cast.manager):
        response = signed_in(user).post(reverse("breakglass:end", args=[opening.pk]))
        assert response.status_code == 404
    opening.refresh_from_db()
    assert opening.ended_at is None
