"""Applying through the public page: what a visitor sees, and every bad input refused
with a clear answer and nothing lost."""

import re

import pytest
from sqlalchemy import func, select

from pen.applications import service
from pen.applications.models import UNCONFIRMED, WAITING
from pen.extensions import db
from pen.mail import MailMessage
from pen.onboarding import service as rollout
from pen.types import utcnow

from .conftest import CONFIRM_LINK, applications, form_data, links, path_of


def test_the_page_explains_pen_to_a_visitor_signed_out_even_in_pilot_mode(client, admin):
    rollout.set_site_mode(admin, "pilot")
    page = client.get("/apply/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "over 500 experts" in text and "Stockholm Convention" in text
    assert 'name="motivation"' in text and 'name="website"' in text


def test_the_sign_in_page_links_to_the_application(client):
    assert 'href="/apply/"' in client.get("/auth/login").get_data(as_text=True)


@pytest.mark.parametrize("language, words", [
    ("fr", "Rejoindre"), ("es", "Unirse"), ("ru", "Присоединиться"), ("ar", "الانضمام"),
    ("zh", "加入"), ("en", "Join the PCBs Elimination Network")])
def test_the_page_speaks_the_visitors_language(client, language, words):
    page = client.get("/apply/", headers={"Accept-Language": language})
    assert words in page.get_data(as_text=True)


def test_an_application_waits_for_its_email_to_be_confirmed(client):
    page = client.post("/apply/", data=form_data())
    assert page.status_code == 200
    assert "ana.perez@example.org" in page.get_data(as_text=True)
    [application] = applications()
    assert application.status == UNCONFIRMED and application.country == "EC"
    assert application.locale == "es" and application.languages == ["es", "en"]
    [link] = links(CONFIRM_LINK, "ana.perez@example.org")

    assert "Confirm" in client.get(path_of(link)).get_data(as_text=True)
    assert applications()[0].status == UNCONFIRMED  # opening the link is not confirming
    assert client.post(path_of(link)).status_code == 200
    assert applications()[0].status == WAITING
    assert client.post(path_of(link)).status_code == 410  # used once


def test_an_unknown_or_expired_confirmation_link_is_refused(client):
    client.post("/apply/", data=form_data())
    [link] = links(CONFIRM_LINK, "ana.perez@example.org")
    assert client.get("/apply/confirm/not-a-token").status_code == 410
    application = applications()[0]
    application.token_expires_at = utcnow()
    db.session.commit()
    assert client.post(path_of(link)).status_code == 410
    assert applications()[0].status == UNCONFIRMED


def _refused(client, **overrides) -> str:
    """Post a bad form: 400, nothing stored, no mail; the page's text."""
    page = client.post("/apply/", data=form_data(**overrides))
    assert page.status_code == 400
    assert applications() == []
    assert db.session.scalar(select(MailMessage.id)) is None
    return page.get_data(as_text=True)


def test_an_invalid_email_is_refused_beside_its_field_and_the_rest_is_kept(client):
    text = _refused(client, email="ana.perez@@example")
    assert "not a valid email address" in text
    assert 'value="Ana María Pérez"' in text and "national PCB inventory" in text
    assert 'value="ana.perez@@example"' in text


def test_a_country_not_in_the_list_is_refused(client):
    text = _refused(client, country="XX")
    assert "Choose a country from the list." in text
    assert 'value="Ministerio del Ambiente"' in text
    assert re.search(r'<input[^>]*checked[^>]*value="es"|<input[^>]*value="es"[^>]*checked', text)


@pytest.mark.parametrize("field, limit", [
    ("name", 200), ("organisation", 200), ("motivation", 3000), ("expertise_text", 1000),
    ("email", 254)])
def test_ten_thousand_characters_are_refused_with_the_fields_limit(client, field, limit):
    text = _refused(client, **{field: "x" * 10_000})
    assert f"At most {limit} characters, please (this has 10000)" in text
    assert "national PCB inventory" in text or field == "motivation"


def test_a_filled_honeypot_is_refused_and_the_answers_are_kept(client):
    text = _refused(client, website="http://spam.example")
    assert "a field meant to stay empty was filled in" in text
    assert 'value="Ana María Pérez"' in text and 'value="http://spam.example"' not in text


def test_a_form_sent_too_fast_is_refused_with_a_message_and_the_answers_kept(client):
    text = _refused(client, stamp=service.form_stamp(utcnow()))
    assert "faster than a person can fill in this form" in text
    assert 'value="Ana María Pérez"' in text and "national PCB inventory" in text


def test_a_forged_time_stamp_is_refused(client):
    assert "could not be checked" in _refused(client, stamp="1700000000")


def test_the_same_email_twice_while_open_makes_no_second_application(client):
    client.post("/apply/", data=form_data())
    [first] = links(CONFIRM_LINK, "ana.perez@example.org")
    client.post(path_of(first))
    again = client.post("/apply/", data=form_data(email=" Ana.Perez@Example.org "))
    assert again.status_code == 200
    assert "no second one is made" in again.get_data(as_text=True)
    assert len(applications()) == 1
    told = db.session.scalars(select(MailMessage.body_text).where(
        MailMessage.to_addr == "ana.perez@example.org").order_by(MailMessage.id)).all()
    assert "no se creó una segunda" in told[-1]  # in the language chosen on the form


def test_applying_again_before_confirming_keeps_one_row_and_one_working_link(client):
    client.post("/apply/", data=form_data())
    assert len(applications()) == 1
    client.post("/apply/", data=form_data(organisation="Ministry of Environment"))
    assert len(applications()) == 1
    # the first mail's link still works: a second mail so soon was not sent
    assert len(links(CONFIRM_LINK, "ana.perez@example.org")) == 1


def test_a_flood_from_one_address_gets_a_readable_429(app_factory):
    app = app_factory(APPLICATION_LIMIT_PER_ADDRESS="3 per hour")
    with app.app_context():
        client = app.test_client()
        for number in range(3):
            client.post("/apply/", data=form_data(email=f"bot{number}@example.org"))
        page = client.post("/apply/", data=form_data(email="bot9@example.org"))
        assert page.status_code == 429
        assert "Please wait" in page.get_data(as_text=True)
        assert page.headers["Retry-After"]
        assert len(applications()) == 3
        assert client.get("/apply/").status_code == 200  # reading the page is not limited


def test_asking_again_and_again_sends_one_mail_per_few_minutes(client):
    client.post("/apply/", data=form_data())
    [link] = links(CONFIRM_LINK, "ana.perez@example.org")
    client.post(path_of(link))
    before = db.session.scalar(select(func.count()).select_from(MailMessage))
    for _ in range(3):
        assert client.post("/apply/", data=form_data()).status_code == 200
    assert db.session.scalar(select(func.count()).select_from(MailMessage)) == before + 1
