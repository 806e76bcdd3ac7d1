"""Sign-in limits hold across gunicorn workers when they count in Redis, and /metrics adds
up both workers' counts.

The installed package (so the Redis client must come with it) runs gunicorn with two
workers; sign-in attempts for one account are spread over both, and the attempt after
the configured limit gets 429. Per-process counting would let each worker allow the
limit again. Then /metrics (prometheus-client's multiprocess mode) counts every attempt,
whichever worker answered it.
"""

import http.client
import uuid
from urllib.parse import urlencode

import pytest
import redis
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import csrf_token_from
from tests.deploy.conftest import fetch
from tests.reliability.live import Browser

pytestmark = pytest.mark.deploy

LIMIT = 6  # even: the attempts go in pairs, one per worker
EMAIL = "nobody@pen.example"


@pytest.fixture
def redis_store():
    """(URL, key prefix of this run) on the local Redis; skipped when none answers."""
    client = redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis answering on 127.0.0.1:6379 ({exc})")
    prefix = f"pen-test-{uuid.uuid4().hex}"  # runs on one Redis never share counters
    yield "redis://127.0.0.1:6379/0", prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)


def attempts_on_both_workers(port: int, cookie: str, form: bytes) -> list[int]:
    """Two sign-in attempts that two different workers answer; their statuses.

    The first request is sent without its body, so the worker that accepted it (the
    listening socket hands out connections in order) waits for the rest; the second,
    sent whole, can only be taken by the other worker. Then the first is completed.
    """
    held = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    held.putrequest("POST", "/auth/login")
    for name, value in headers(cookie, form).items():
        held.putheader(name, value)
    held.endheaders()
    whole = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        whole.request("POST", "/auth/login", body=form, headers=headers(cookie, form))
        second = whole.getresponse().status
        held.send(form)
        first = held.getresponse().status
    finally:
        whole.close()
        held.close()
    return [second, first]


def headers(cookie: str, form: bytes) -> dict[str, str]:
    """The headers of a browser's form POST."""
    return {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": str(len(form))}


def test_sign_in_limit_is_shared_by_the_workers_through_redis(site_from_wheel, redis_store,
                                                              tmp_path):
    url, prefix = redis_store
    site, access_log = site_from_wheel, tmp_path / "access.log"
    site.env.update(PEN_RATELIMIT_STORAGE_URI=url, PEN_RATELIMIT_KEY_PREFIX=prefix,
                    PEN_LOGIN_LIMIT_PER_ACCOUNT=f"{LIMIT} per hour",
                    PEN_LOGIN_LIMIT_PER_ADDRESS="1000 per hour",
                    PEN_METRICS_TOKEN="scraper-token",
                    PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "metrics"),
                    GUNICORN_CMD_ARGS=f"--access-logfile {access_log} "
                                      "--access-logformat '%(p)s %(m)s %(U)s %(s)s'")
    site.start(worker=False)
    browser = Browser(site.port)
    browser.token = csrf_token_from(browser.get("/auth/login").body)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    form = urlencode({"csrf_token": browser.token, "email": EMAIL, "password": "wrong"}).encode()

    allowed = []
    for _ in range(LIMIT // 2):
        allowed += attempts_on_both_workers(site.port, cookie, form)
    assert allowed == [200] * LIMIT  # "Wrong email or password", the form again
    refused = browser.post("/auth/login", {"email": EMAIL, "password": "wrong"})
    assert refused.status == 429

    workers = {line.split()[0] for line in access_log.read_text().splitlines()
               if " POST /auth/login " in line}
    assert len(workers) == 2, "the attempts did not reach both workers"
    assert login_counts(site.port) == {"200": LIMIT, "429": 1}


def login_counts(port: int) -> dict[str, float]:
    """Sign-in POSTs per status, as /metrics adds them up over the workers."""
    status, _headers, body = fetch(port, "/metrics",
                                   {"Authorization": "Bearer scraper-token"})
    assert status == 200
    return {sample.labels["status"]: sample.value
            for family in text_string_to_metric_families(body.decode())
            for sample in family.samples
            if sample.name == "pen_http_requests_total"
            and sample.labels["endpoint"] == "auth.login" and sample.labels["method"] == "POST"}
