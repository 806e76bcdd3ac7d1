"""/metrics: Prometheus figures for the operator holding the token, nobody else."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from pen import mail, search
from pen.extensions import db
from tests.conftest import PASSWORD, login

TOKEN = "operator-token-7b1e"


@pytest.fixture
def metered(app):
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def scrape(client) -> dict:
    """{(name, frozenset(labels)): value} of one scrape."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def test_no_token_set_means_no_metrics(app, client):
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers={"Authorization": "Bearer "}).status_code == 404


def test_members_and_wrong_tokens_get_404(metered, client, admin):
    assert client.get("/metrics", headers={"Authorization": "Bearer guess"}).status_code == 404
    login(client, admin.email)
    assert client.get("/metrics").status_code == 404


def test_requests_checks_and_outbox_are_counted(metered, client):
    client.get("/auth/login")
    mail.queue("someone@pen.example", "Hello", "Body")
    db.session.commit()
    search.drain()
    figures = scrape(client)
    assert figures[("pen_http_requests_total", frozenset(
        {("endpoint", "auth.login"), ("method", "GET"), ("status", "200")}))] >= 1
    assert ("pen_http_request_duration_seconds_count",
            frozenset({("endpoint", "auth.login")})) in figures
    assert figures[("pen_check_ok", frozenset({("check", "database")}))] == 1
    assert figures[("pen_check_ok", frozenset({("check", "search:forum_post")}))] == 1
    assert ("pen_check_value", frozenset({("check", "disk:data_dir")})) in figures
    assert figures[("pen_mail_outbox_pending", frozenset())] == 1
    assert figures[("pen_mail_sent_24h", frozenset())] == 0
    assert figures[("pen_mail_bouncing_addresses", frozenset())] == 0
    assert figures[("pen_extraction_waiting", frozenset())] == 0
    replica = {(name, labels) for name, labels in figures if name == "pen_search_lag_seconds"}
    assert {dict(labels)["kind"] for _name, labels in replica} >= {"forum_post", "member"}


def test_sign_in_failures_and_429s_are_counted(metered, client, member):
    before = scrape(client).get(("pen_signin_failures_total",
                                 frozenset({("step", "password")})), 0)
    metered.config["LOGIN_LIMIT_PER_ACCOUNT"] = "10 per minute"
    for _ in range(12):
        client.post("/auth/login", data={"email": member.email, "password": PASSWORD + "x"})
    figures = scrape(client)
    assert figures[("pen_signin_failures_total", frozenset({("step", "password")}))] >= before + 10
    assert figures[("pen_rate_limited_total", frozenset({("endpoint", "auth.login")}))] >= 1
