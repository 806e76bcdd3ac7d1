"""What an attacker meets: CSRF, throttling, headers, size limits, error pages."""

import re
from pathlib import Path

import pytest

from pen.auth import service
from pen.extensions import db
from tests.conftest import PASSWORD, csrf_token_from, login

TEMPLATES = Path(__file__).resolve().parent.parent / "pen" / "templates"


@pytest.fixture
def secure_app(app_factory):
    """The app with CSRF protection on, as in production."""
    app = app_factory(WTF_CSRF_ENABLED=True)
    with app.app_context():
        service.create_user("lan.nguyen@example.org", "Nguyen Thi Lan", PASSWORD)
        db.session.commit()
    return app


def test_login_without_csrf_token_is_refused_with_the_400_page(secure_app):
    client = secure_app.test_client()
    response = login(client, "lan.nguyen@example.org")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This form has expired or was not sent from this site." in page
    assert '<main id="main"' in page  # in the site's layout
    assert client.get("/").status_code == 302


def test_login_with_csrf_token_works(secure_app):
    client = secure_app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    response = login(client, "lan.nguyen@example.org", csrf_token=token)
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_logout_without_csrf_token_keeps_the_session(secure_app):
    client = secure_app.test_client()
    token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
    login(client, "lan.nguyen@example.org", csrf_token=token)
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_reset_request_without_csrf_token_is_refused(secure_app):
    client = secure_app.test_client()
    assert client.post("/auth/reset", data={"email": "lan.nguyen@example.org"}).status_code == 400


def test_eleventh_attempt_for_one_account_gets_429_and_when_to_retry(client, member):
    for _ in range(10):
        assert login(client, member.email, "wrong password!").status_code == 200
    response = login(client, member.email, "wrong password!")
    assert response.status_code == 429
    retry_after = int(response.headers["Retry-After"])
    assert 0 < retry_after <= 60
    said = re.search(r"You can try again in (\d+) second", response.get_data(as_text=True))
    assert said and abs(int(said.group(1)) - retry_after) <= 1


def test_account_limit_holds_across_addresses(client, member):
    for number in range(10):
        client.post("/auth/login", data={"email": member.email, "password": "wrong password!"},
                    environ_base={"REMOTE_ADDR": f"10.0.0.{number}"})
    response = client.post("/auth/login", data={"email": member.email, "password": PASSWORD},
                           environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429


def test_an_app_without_limits_does_not_switch_them_off_for_the_next(app_factory):
    # One limiter per process: an app built without limits (the benchmark's) came first.
    app_factory(RATELIMIT_ENABLED=False)
    client = app_factory(LOGIN_LIMIT_PER_ADDRESS="3 per minute").test_client()
    for number in range(3):
        assert login(client, f"someone{number}@example.org", "guess guess").status_code == 200
    assert login(client, "someone-else@example.org", "guess guess").status_code == 429


def test_address_limit_holds_across_accounts(app_factory):
    app = app_factory(LOGIN_LIMIT_PER_ADDRESS="3 per minute")
    client = app.test_client()
    for number in range(3):
        assert login(client, f"someone{number}@example.org", "guess guess").status_code == 200
    assert login(client, "someone-else@example.org", "guess guess").status_code == 429
    other = client.post("/auth/login", data={"email": "x@example.org", "password": "guess"},
                        environ_base={"REMOTE_ADDR": "192.0.2.7"})
    assert other.status_code == 200


def test_login_page_itself_is_not_throttled(client, member):
    for _ in range(11):
        login(client, member.email, "wrong password!")
    assert client.get("/auth/login").status_code == 200


def test_security_headers_on_every_page(client):
    for url in ("/auth/login", "/nope", "/healthz"):
        headers = client.get(url).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_templates_have_no_inline_script_or_style():
    for template in TEMPLATES.rglob("*.html"):
        source = template.read_text()
        assert not re.search(r"<script(?![^>]*\bsrc=)", source), template
        assert not re.search(r"\sstyle=|<style", source), template
        assert not re.search(r"\son[a-z]+=", source), template


def test_bootstrap_is_served_from_this_site(client):
    page = client.get("/auth/login").get_data(as_text=True)
    href = re.search(r'href="([^"]*bootstrap[^"]*\.css)"', page).group(1)
    assert href.startswith("/")
    assert client.get(href).status_code == 200


def test_request_over_the_size_limit_gets_the_413_page(app_factory):
    app = app_factory(MAX_CONTENT_MB=1)
    response = app.test_client().post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "larger than the site accepts" in response.get_data(as_text=True)


def test_unknown_page_gets_the_404_page_in_the_layout(member_client):
    response = member_client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Page not found" in page and "Skip to content" in page and "Log out" in page


def test_server_error_gets_the_500_page(app_factory):
    app = app_factory(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("kaboom")

    with app.app_context():
        service.create_user("boom@example.org", "Boom", PASSWORD)
        db.session.commit()
    client = app.test_client()
    login(client, "boom@example.org")
    response = client.get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong" in page and "kaboom" not in page


def test_member_gets_403_on_admin_pages(member_client):
    response = member_client.get("/admin/users")
    assert response.status_code == 403
    assert "Not allowed" in response.get_data(as_text=True)


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path, None, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/x",
                        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unreachable"


# Login required everywhere but the public pages: tests/security/test_access_matrix.py
# (test_logged_out_and_pilot_outsider_get_nothing), which walks every rule and method.
