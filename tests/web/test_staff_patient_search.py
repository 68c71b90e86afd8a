"""The staff patient search: words go by POST, wait in the server-side session, and the browser
is sent back to the plain list URL, so no name ever sits in a URL (logs, history, Referer)."""

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.personas import Cast
from unknot.patients.views_staff import PAGE_SIZE, SEARCH_KEY

LIST = reverse("staffarea:patient_list")


def signed_in_as(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows(response: object) -> int:
    return response.content.decode().count("<tr") - 1  # less the heading row


def test_a_search_redirects_to_the_plain_list_which_shows_the_results(cast: Cast) -> None:
    factories.patient("Paula", "Pine", cast.clinic_a)
    client = signed_in_as(cast.front_desk_a)
    posted = client.post(LIST, {"q": " pine "})
    assert posted.status_code == 302 and posted["Location"] == LIST  # no query string
    assert client.session[SEARCH_KEY] == "pine"
    page = client.get(LIST)
    body = page.content.decode()
    assert "Paula Pine" in body and "Penny Parker" not in body
    assert 'value="pine"' in body and "Clear search" in body  # the box keeps the words


def test_clear_search_forgets_the_words(cast: Cast) -> None:
    client = signed_in_as(cast.therapist_a)
    client.post(LIST, {"q": "nobody-is-called-this"})
    assert "No patients found." in client.get(LIST).content.decode()
    response = client.post(LIST, {"q": "nobody-is-called-this", "clear": "1"}, follow=True)
    assert SEARCH_KEY not in client.session
    assert "Penny Parker" in response.content.decode()
    client.post(LIST, {"q": "parker"})
    client.post(LIST, {"q": "   "})  # an empty search is no search
    assert SEARCH_KEY not in client.session


def test_signing_out_forgets_the_words(cast: Cast) -> None:
    client = signed_in_as(cast.therapist_a)
    client.post(LIST, {"q": "nobody-is-called-this"})
    client.post(reverse("accounts:logout"))
    client.force_login(cast.therapist_a)
    assert SEARCH_KEY not in client.session
    assert "Penny Parker" in client.get(LIST).content.decode()


def test_a_query_string_is_not_a_search(cast: Cast) -> None:
    """An old bookmark with ?q= shows the plain list and is not honoured as a search."""
    client = signed_in_as(cast.therapist_a)
    body = client.get(LIST, {"q": "nobody-is-called-this"}).content.decode()
    assert "Penny Parker" in body and "nobody-is-called-this" not in body


def test_the_results_stay_in_the_users_clinics_and_bounded(cast: Cast) -> None:
    for n in range(PAGE_SIZE + 3):
        factories.patient(f"Many{n}", "Manyfold", cast.clinic_a)
    client = signed_in_as(cast.therapist_a)
    assert rows(client.post(LIST, {"q": "manyfold"}, follow=True)) == PAGE_SIZE
    body = client.post(LIST, {"q": "quill"}, follow=True).content.decode()
    assert "Quentin" not in body  # clinic B's patient
    assert len(client.session[SEARCH_KEY]) <= 100
    client.post(LIST, {"q": "x" * 500})
    assert client.session[SEARCH_KEY] == "x" * 100


def test_the_auditor_may_search_a_search_is_a_read(cast: Cast) -> None:
    client = signed_in_as(cast.auditor)
    response = client.post(LIST, {"q": "parker"}, follow=True)
    assert response.status_code == 200 and "Penny Parker" in response.content.decode()


def test_patients_and_strangers_cannot_search(cast: Cast) -> None:
    assert signed_in_as(cast.patient_p.user).post(LIST, {"q": "quill"}).status_code == 403
    anonymous = Client().post(LIST, {"q": "quill"})
    assert anonymous.status_code == 302 and "q=" not in anonymous["Location"]
