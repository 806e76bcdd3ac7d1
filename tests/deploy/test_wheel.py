"""The built wheel is complete: installed outside the checkout it migrates, serves every
language (Arabic right-to-left) and its stylesheets compressed, fingerprinted and cached."""

import re
import zipfile

import pytest

from tests.deploy.conftest import fetch, run

pytestmark = pytest.mark.deploy

LANGUAGES = ("ar", "es", "fr", "ru", "zh")


def test_the_wheel_holds_catalogues_templates_static_files_and_migrations(built_wheel):
    names = set(zipfile.ZipFile(built_wheel).namelist())
    for language in LANGUAGES:
        assert f"pen/translations/{language}/LC_MESSAGES/messages.mo" in names
    assert "pen/templates/base.html" in names
    assert "pen/templates/auth/login.html" in names
    assert "pen/static/css/pen.css" in names
    assert {"pen/migrations/env.py", "pen/migrations/alembic.ini",
            "pen/migrations/script.py.mako"} <= names
    assert any(re.fullmatch(r"pen/migrations/versions/\w+\.py", name) for name in names)
    assert not any(name.endswith((".pyc", ".po~")) for name in names)


def test_the_installed_package_is_the_one_that_runs(installed_venv, tmp_path):
    where = run(installed_venv / "bin" / "python", "-c", "import pen; print(pen.__file__)",
                cwd=tmp_path)
    assert where.strip().startswith(str(installed_venv))


def test_installed_site_speaks_every_language_arabic_right_to_left(site_from_wheel):
    site_from_wheel.flask("seed-demo")
    site_from_wheel.start(worker=False)
    status, _, body = fetch(site_from_wheel.port, "/auth/login", {"Accept-Language": "ar"})
    page = body.decode()
    assert status == 200
    assert '<html lang="ar" dir="rtl">' in page
    assert "تسجيل الدخول إلى PEN" in page and "Sign in to PEN" not in page
    assert re.search(r'href="/static/vendor/bootstrap/css/bootstrap\.rtl\.min\.\w+\.css"', page)
    for language in ("es", "fr", "ru", "zh"):  # the other catalogues are there and used too
        other = fetch(site_from_wheel.port, "/auth/login", {"Accept-Language": language})[2]
        assert f'<html lang="{language}" dir="ltr">' in other.decode()
        assert "Sign in to PEN" not in other.decode(), language


def test_installed_site_serves_stylesheets_compressed_immutable_and_revalidated(site_from_wheel):
    site_from_wheel.start(worker=False)
    port = site_from_wheel.port
    page = fetch(port, "/auth/login")[2].decode()
    for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', page):
        status, headers, brotli_body = fetch(port, href, {"Accept-Encoding": "gzip, br"})
        assert status == 200 and headers["Content-Encoding"] == "br", href
        assert set(headers["Cache-Control"].replace(" ", "").split(",")) == {
            "public", "max-age=31536000", "immutable"}
        assert headers["Content-Type"].startswith("text/css")
        _, gzip_headers, gzip_body = fetch(port, href, {"Accept-Encoding": "gzip"})
        assert gzip_headers["Content-Encoding"] == "gzip"
        _, plain_headers, plain_body = fetch(port, href)
        assert "Content-Encoding" not in plain_headers
        assert len(brotli_body) < len(gzip_body) < len(plain_body)
        status, _, body = fetch(port, href, {"If-None-Match": headers["ETag"]})
        assert status == 304 and body == b""
