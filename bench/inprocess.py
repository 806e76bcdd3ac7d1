"""The production app on a generated network, in this process, and a member signed in.

Shared by the in-process tools (``bench.forum_profile``, ``bench.directory_profile``,
``bench.memory_profile``). It imports nothing of ``pen`` but ``create_app``, so a copy
of a tool and of this file, run with an older tree first on ``PYTHONPATH``, measures
that tree on the same network.
"""

import logging
import os
import re
import secrets
from pathlib import Path

import click

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def production_app(url: str, workdir: Path):
    """The production app on the network at ``url`` (files under ``workdir``)."""
    os.environ.update(PEN_ENV="production", PEN_DATABASE_URL=url,
                      PEN_DATA_DIR=str(workdir / "data"),
                      PEN_INSTANCE_PATH=str(workdir / "instance"),
                      PEN_SECRET_KEY=secrets.token_hex(32),
                      PEN_LOGIN_LIMIT_PER_ADDRESS="10000 per minute",
                      PEN_TWO_FACTOR_REQUIRED_ROLES="[]")
    from pen import create_app

    app = create_app()
    logging.disable(logging.INFO)  # one line per request would be timed too
    return app


def signed_in(app, email: str, password: str):
    """A test client signed in as ``email`` through the login form."""
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    token = CSRF.search(client.get("/auth/login").get_data(as_text=True)).group(1)
    answer = client.post("/auth/login", data={"email": email, "csrf_token": token,
                                               "password": password})
    if answer.status_code != 302:
        raise click.ClickException(f"login of {email} failed (HTTP {answer.status_code})")
    return client
