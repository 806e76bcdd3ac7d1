"""One log line per request, with an id the member can quote; nothing secret in it."""

import io
import json
import logging

import pytest

from tests.conftest import PASSWORD, login


@pytest.fixture
def log_lines(app):
    """What the ``pen`` loggers write during the test, one string per line."""
    handler = next(h for h in logging.getLogger("pen").handlers if h.get_name() == "pen")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield lambda: stream.getvalue().splitlines()
    handler.setStream(previous)


def test_every_answer_carries_a_request_id_and_is_logged_once(client, member, log_lines):
    login(client, member.email)
    response = client.get("/members/")
    request_id = response.headers["X-Request-Id"]
    assert len(request_id) >= 8
    lines = [line for line in log_lines() if f"request_id={request_id}" in line]
    assert len(lines) == 1
    assert f"member={member.id}" in lines[0]
    assert "endpoint=members.index" in lines[0] and "status=200" in lines[0]
    assert "ms=" in lines[0] and "method=GET" in lines[0]


def test_an_id_sent_by_the_proxy_is_kept_and_a_forged_one_replaced(client):
    assert client.get("/auth/login", headers={"X-Request-Id": "nginx-4f2a9c01"}).headers[
        "X-Request-Id"] == "nginx-4f2a9c01"
    for forged in ('abcdefgh" onmouseover="alert(1)', "a" * 500, "short"):
        answer = client.get("/auth/login", headers={"X-Request-Id": forged})
        assert answer.headers["X-Request-Id"] != forged
        assert len(answer.headers["X-Request-Id"]) == 16


def test_no_password_token_or_query_string_reaches_the_log(client, member, log_lines):
    client.post("/auth/login", data={"email": member.email, "password": PASSWORD + "-wrong"})
    client.get("/auth/reset/secret-reset-token-1234?email=someone@pen.example")
    text = "\n".join(log_lines())
    assert PASSWORD not in text
    assert "secret-reset-token-1234" not in text
    assert "someone@pen.example" not in text
    assert "route=/auth/reset/<token>" in text


def test_json_lines_when_asked(app_factory, log_lines):
    app = app_factory(LOG_FORMAT="json")
    handler = next(h for h in logging.getLogger("pen").handlers if h.get_name() == "pen")
    stream = io.StringIO()
    handler.setStream(stream)
    response = app.test_client().get("/auth/login")
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    line = next(r for r in records if r.get("request_id") == response.headers["X-Request-Id"])
    assert line["endpoint"] == "auth.login" and line["status"] == 200
    assert line["level"] == "INFO" and line["logger"] == "pen.request"


def test_the_error_page_shows_the_reference_logged_with_the_error(app, client, member,
                                                                  log_lines):
    @app.get("/boom")
    def boom():
        raise RuntimeError("kaput")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    login(client, member.email)
    response = client.get("/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    assert request_id in response.get_data(as_text=True)
    lines = log_lines()
    assert any(request_id in line and "status=500" in line for line in lines)
    assert any(line.startswith("RuntimeError: kaput") for line in lines)  # the traceback
    assert any("Exception on /boom" in line and request_id in line for line in lines)
