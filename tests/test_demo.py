"""The demo tells the truth: what `make run` prints and seeds is what a visitor finds."""

from collections import Counter

from sqlalchemy import select

from pen.admin import cli, demo
from pen.auth import service
from pen.auth.models import User, UserStatus
from pen.events import registration
from pen.events.demo import ASIA_WORKSHOP
from pen.events.models import Event
from pen.extensions import db
from pen.mail import MailMessage
from pen.members import designations
from pen.members.models import Profile
from tests.conftest import login


def _seed(app, *args) -> str:
    """Run ``flask seed-demo`` as `make run` does; its output."""
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def _user(email: str) -> User:
    return service.find_by_email(email)


def _event(title: str) -> Event:
    return db.session.scalar(select(Event).where(Event.title == title))


def test_the_demo_profiles_countries_names_and_mail_are_true(app):
    app.config["SITE_URL"] = None
    _seed(app, "--host", "0.0.0.0", "--port", "5050")  # noqa: S104 - `make run HOST=0.0.0.0`
    for account in demo.DEMO_ACCOUNTS:  # the banner describes each one: the profile says it
        profile = db.session.get(Profile, _user(account.email).id)
        assert profile.country and profile.organisation and profile.organisation_type
        assert profile.expertise, account.email
    lan = _user("member@pen.example")
    assert designations.is_current(lan, "nfp", "VN")  # "national focal point, Viet Nam"
    countries = set(db.session.scalars(select(Profile.country).where(
        Profile.country.is_not(None))))
    assert {c for c in countries if not designations.holders("ocp", c)} == set()
    names = Counter(db.session.scalars(select(User.display_name)))
    assert [name for name, count in names.items() if count > 1] == []
    invitation = db.session.scalar(select(MailMessage).where(
        MailMessage.to_addr == "invited@pen.example"))
    assert "http://127.0.0.1:5050/" in invitation.body_text
    assert ":5000" not in invitation.body_text + (invitation.body_html or "")


def test_an_endorsement_goes_through_end_to_end(app, client):
    _seed(app)
    ocp, lan = _user("ocp@pen.example"), _user("member@pen.example")
    asia = _event(ASIA_WORKSHOP)
    assert registration.registration_of(_user("nguyen.minh@evn.example"), asia).status == \
        "confirmed"
    pending = registration.registration_of(lan, asia)
    assert pending.status == "pending"
    assert login(client, "member@pen.example", demo.DEMO_PASSWORD).status_code == 302
    dakar = _event("Regional workshop on PCB inventories in Africa")
    client.post(f"/events/{dakar.id}/register", data={"note": ""})
    db.session.expire_all()
    assert registration.registration_of(lan, dakar).status == "pending"
    client.post("/auth/logout")
    assert login(client, ocp.email, demo.DEMO_PASSWORD).status_code == 302
    queue = client.get("/events/queue").get_data(as_text=True)
    assert "Nguyen Thi Lan" in queue and ASIA_WORKSHOP in queue
    answer = client.post(f"/events/registrations/{pending.id}/endorse")
    assert answer.status_code == 302
    db.session.expire_all()
    assert registration.registration_of(lan, asia).status == "confirmed"


def test_the_banner_says_how_each_account_is_now(app, make_user, monkeypatch):
    served = {}
    monkeypatch.setattr(cli, "run_simple", lambda host, port, *a, **k: served.update(port=port))
    monkeypatch.setattr(cli.worker, "start_background", lambda app: None)
    app.config["SITE_URL"] = None
    make_user(email="suspended@pen.example", name="Tomasz Nowak")  # reactivated since
    make_user(email="invited@pen.example", name="Moussa Ndiaye", status=UserStatus.INVITED)
    output = app.test_cli_runner().invoke(args=["serve", "--port", "5050"]).output
    assert served == {"port": 5050} and "http://127.0.0.1:5050/" in output
    assert "Tomasz Nowak, now active" in output and "suspended: cannot sign in" not in output
    assert "invited, has not chosen a password yet" in output
    assert "admin@pen.example          missing" in output
    assert app.config["SITE_URL"] == "http://127.0.0.1:5050"  # the worker's mail links too


def test_slash_login_leads_to_the_sign_in_page(client):
    answer = client.get("/login?next=/events")
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/auth/login?next=/events")
    assert "password" in client.get("/login", follow_redirects=True).get_data(as_text=True)


def test_the_demo_shows_its_vocabulary_in_every_language(app, client):
    from pen import vocabulary
    from pen.admin.demo_vocabulary import LABELS

    _seed(app)
    for name in ("expertise", "forum_category", "forum_tag", "award_category"):
        terms = vocabulary.kind_for(name).terms()
        assert terms, name
        missing = [english for key, english in terms if english in LABELS and any(
            (key, locale) not in vocabulary.stored(name) for locale in vocabulary.LOCALES)]
        assert missing == [], name
    assert all(english in LABELS for _key, english in vocabulary.kind_for("forum_tag").terms())
    lan = _user("member@pen.example")
    db.session.get(Profile, lan.id).locale = "ru"
    db.session.commit()
    login(client, lan.email, demo.DEMO_PASSWORD)
    forums = client.get("/forums/").get_data(as_text=True)
    assert "Законодательство и Стокгольмская конвенция" in forums
    assert "Отбор проб и анализ" in client.get("/members/").get_data(as_text=True)
    assert _seed(app)  # a second run adds nothing twice (the unique label per language)
