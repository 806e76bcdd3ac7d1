"""Static files: fingerprinted names in pages, compressed answers, long caching, 304."""

import re

from pen.staticfiles import fingerprinted


def stylesheets(client) -> list[str]:
    """The stylesheet URLs of the sign-in page."""
    page = client.get("/auth/login").get_data(as_text=True)
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)


def test_pages_name_fingerprinted_stylesheets(client):
    hrefs = stylesheets(client)
    assert len(hrefs) == 2
    assert all(re.search(r"\.[0-9a-f]{12}\.css$", href) for href in hrefs)
    assert any("/static/vendor/bootstrap/css/bootstrap.min." in href for href in hrefs)


def test_fingerprinted_files_are_compressed_and_cached_for_a_year(client):
    for href in stylesheets(client):
        brotli = client.get(href, headers={"Accept-Encoding": "gzip, br"})
        assert brotli.status_code == 200 and brotli.headers["Content-Encoding"] == "br"
        assert brotli.headers["Cache-Control"] == "max-age=31536000, public, immutable"
        assert brotli.headers["X-Content-Type-Options"] == "nosniff"
        gzip = client.get(href, headers={"Accept-Encoding": "gzip"})
        assert gzip.headers["Content-Encoding"] == "gzip"
        again = client.get(href, headers={"If-None-Match": brotli.headers["ETag"]})
        assert again.status_code == 304


def test_unhashed_names_still_answer_with_a_short_lifetime(client):
    response = client.get("/static/css/pen.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"


def test_the_digest_goes_before_the_last_suffix():
    assert fingerprinted("css/pen.css", "0123456789ab") == "css/pen.0123456789ab.css"
    assert fingerprinted("css/bootstrap.rtl.min.css", "ab") == "css/bootstrap.rtl.min.ab.css"
    assert fingerprinted("LICENSE", "ab") == "LICENSE.ab"
