"""Faults that explain themselves: a database that stops, a disk that fills, a Redis that
does not answer. Members get a 503 page saying what happens; nothing is lost; it recovers."""

import io

from pen.auth import service
from pen.extensions import db
from pen.library import samples
from pen.monitoring import alerts
from tests.conftest import PASSWORD, login, make_test_app
from tests.monitoring.conftest import fill

pytest_plugins = ["tests.fixtures_mail"]
OPERATOR = "it@pen.example"


def test_pages_answer_503_while_postgresql_is_stopped_and_recover_when_it_is_back(
        tmp_path, throwaway_postgres, smtp_server):
    app = make_test_app(tmp_path, None, DATABASE_URL=throwaway_postgres.url,
                        MAIL_URL=smtp_server.url, ALERT_EMAILS=[OPERATOR])
    with app.app_context():
        db.create_all()
        member = service.create_user("ana@pen.example", "Ana Ruiz", PASSWORD, ())
        db.session.commit()
        client = app.test_client()
        login(client, member.email)
        assert client.get("/members/").status_code == 200

        throwaway_postgres.stop()
        page = client.get("/members/", headers={"Accept-Language": "fr"})
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "30"
        text = page.get_data(as_text=True)
        assert "base de données" in text and 'lang="fr"' in text
        assert page.headers["X-Request-Id"] in text
        assert client.get("/healthz").status_code == 503

        assert alerts.watch().opened == ["database"]
        assert alerts.watch().opened == []  # once per incident
        [alert] = smtp_server.messages
        assert alert["To"] == OPERATOR and "not answering" in alert["Subject"]

        throwaway_postgres.start()
        assert client.get("/members/").status_code == 200  # same session: nothing lost
        assert alerts.watch().cleared == ["database"]
        assert "answers again" in smtp_server.messages[-1]["Subject"]
        db.session.remove()
        db.engine.dispose()


def test_an_upload_to_a_full_disk_is_refused_keeping_the_form_and_the_next_one_works(
        app_factory, small_disk):
    app = app_factory(UPLOADS_DIR=str(small_disk))
    with app.app_context():
        service.create_user("ana@pen.example", "Ana Ruiz", PASSWORD, ())
        db.session.commit()
    client = app.test_client()
    login(client, "ana@pen.example")
    pdf = samples.make_pdf([f"Inventory of PCB equipment, page {n}" for n in range(40)])
    filler = fill(small_disk, leave_bytes=len(pdf) // 4)
    form = {"title": "Inventory of Kenya's transformers", "description": "Typed with care.",
            "authors": "NEMA", "doc_type": "guideline", "language": "en", "year": "2011",
            "country": "", "access": "network", "group_id": ""}
    page = client.post("/library/upload", content_type="multipart/form-data",
                       data=form | {"file": (io.BytesIO(pdf), "inventory.pdf")})
    assert page.status_code == 503 and page.headers["Retry-After"]
    text = page.get_data(as_text=True)
    assert "no space left" in text
    assert "Inventory of Kenya&#39;s transformers" in text and "Typed with care." in text
    assert [p.name for p in small_disk.rglob("*") if p.is_file()] == ["filler"]

    filler.unlink()
    again = client.post("/library/upload", content_type="multipart/form-data",
                        data=form | {"file": (io.BytesIO(pdf), "inventory.pdf")})
    assert again.status_code == 302


def test_a_rate_limit_store_that_stops_answering_gives_503_not_500(app_factory, own_redis):
    app = app_factory(RATELIMIT_STORAGE_URI=own_redis.url,
                      RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1})
    client = app.test_client()
    assert client.post("/auth/login", data={"email": "a@pen.example", "password": "x"}
                       ).status_code == 200  # counted in Redis: wrong password
    assert client.get("/readyz").json["checks"]["ratelimit"] == {
        "ok": True, "detail": "", "value": None}
    own_redis.kill()
    own_redis.wait()
    page = client.post("/auth/login", data={"email": "a@pen.example", "password": "x"})
    assert page.status_code == 503
    assert "not answering" in page.get_data(as_text=True)
    assert client.get("/readyz").json["checks"]["ratelimit"] == {
        "ok": False, "detail": "the rate-limit store does not answer", "value": None}
