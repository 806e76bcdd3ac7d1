"""``/readyz``: whether this server is current, for load balancers and operators."""

from datetime import timedelta

from sqlalchemy import update

from pen import search
from pen.extensions import db
from pen.search.models import SearchReplica
from pen.types import utcnow


def test_not_ready_until_the_worker_has_built_this_servers_indexes(app, client):
    response = client.get("/readyz")
    assert response.status_code == 503
    checks = response.json["checks"]
    assert checks["database"]["ok"] is True
    assert checks["search:forum_post"] == {"ok": False, "value": None,
                                           "detail": "being rebuilt by the worker"}
    assert checks["worker"]["ok"] is False

    search.drain()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    assert response.json["status"] == "ready"


def test_not_ready_when_the_worker_has_stopped(app, client):
    search.drain()
    db.session.execute(update(SearchReplica).values(seen_at=utcnow() - timedelta(minutes=30)))
    db.session.commit()
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["worker"]["detail"].startswith("not seen for")
    assert client.get("/healthz").status_code == 200  # alive all the same


def test_readiness_answers_503_when_the_database_is_down(tmp_path):
    from tests.conftest import make_test_app

    app = make_test_app(tmp_path, None, DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/x",
                        SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": {"ok": False, "detail": "OperationalError",
                                                    "value": None}}
