"""Choosing the language: the switcher, the profile, the browser; direction; local forms."""

from datetime import UTC, datetime

from pen.extensions import db
from pen.members import service as members
from pen.members.models import Profile
from tests.conftest import login

PROFILE = {"display_name": "Nguyen Thi Lan", "organisation_type": "", "country": "",
           "convention_role": "", "email_visibility": "members", "phone_visibility": "members"}


def _switch(client, code: str, next_url: str = "/"):
    return client.post("/members/language", data={"locale": code, "next": next_url})


def test_a_visitor_gets_the_browsers_language(client):
    page = client.get("/auth/login", headers={"Accept-Language": "es-PA,es;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="es" dir="ltr">' in html
    assert "Iniciar sesión" in html or "Entrar" in html or "Acceder" in html


def test_a_language_nobody_translated_falls_back_to_english(client):
    html = client.get("/auth/login", headers={"Accept-Language": "ja"}).get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html and "Sign in" in html


def test_the_switcher_keeps_a_visitors_choice_for_the_session(client):
    response = _switch(client, "fr", "/auth/login?next=/forums/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/login?next=/forums/")
    html = client.get("/auth/login", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert '<html lang="fr"' in html


def test_the_switcher_refuses_unknown_languages_and_foreign_redirects(client):
    assert _switch(client, "xx").status_code == 400
    response = _switch(client, "fr", "https://evil.example/")
    assert response.headers["Location"].endswith("/")
    assert "evil" not in response.headers["Location"]


def test_a_members_choice_is_kept_on_their_profile_and_wins(app, client, member):
    login(client, member.email)
    _switch(client, "ar")
    db.session.expire_all()
    assert db.session.get(Profile, member.id).locale == "ar"
    other = app.test_client()  # another browser, another day: the profile decides
    login(other, member.email)
    html = other.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min." in html  # a fingerprinted name: bootstrap.rtl.min.<digest>.css


def test_the_profile_form_sets_the_interface_language(client, member):
    login(client, member.email)
    response = client.post("/members/me/edit", data={**PROFILE, "locale": "zh"})
    assert response.status_code == 302, response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Profile, member.id).locale == "zh"
    assert '<html lang="zh"' in client.get("/").get_data(as_text=True)


def test_the_profile_form_refuses_a_language_we_do_not_have(client, member):
    login(client, member.email)
    response = client.post("/members/me/edit", data={**PROFILE, "title": "Engineer",
                                                     "locale": "tlh"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'id="locale-error"' in html and 'value="Engineer"' in html  # what was typed is kept
    assert db.session.get(Profile, member.id).locale is None


def test_left_to_right_pages_use_the_left_to_right_stylesheet(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "bootstrap.min." in html and "bootstrap.rtl" not in html
    assert client.get("/static/vendor/bootstrap/css/bootstrap.rtl.min.css").status_code == 200


def test_dates_follow_the_language_and_the_members_clock(app, client, member):
    login(client, member.email)
    profile = members.profile_of(member)
    profile.timezone, profile.locale = "America/Panama", "fr"
    db.session.commit()
    with app.test_request_context():
        from flask_login import login_user

        from pen import i18n

        login_user(member)
        moment = datetime(2011, 2, 16, 13, 0, tzinfo=UTC)
        assert i18n.format_moment(moment) == "16 févr. 2011, 08:00"  # Panama is UTC-5
        assert i18n.format_moment(moment, "Europe/Zurich", "full") == \
            "mer. 16 févr. 2011, 14:00 (Europe/Zurich)"
        assert i18n.format_number(1234.5, "#,##0.00") == "1\u202f234,50"
        assert i18n.format_size(2_500_000) == "2,5\u202fMo"
