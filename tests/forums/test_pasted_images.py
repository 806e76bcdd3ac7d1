"""Images pasted or dropped into the text: stored shrunk and without EXIF, served to
those who may see them; a file that is not an image, a 50-megapixel PNG, a decompression bomb and an
SVG with a script are each refused with the reason."""

import io
import re
import struct
import zlib

from PIL import Image

from tests.members.test_profile import jpeg_with_exif


def post_image(client, name: str, data: bytes):
    return client.post("/forums/images", data={"image": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims these dimensions (its one row of data is all Pillow needs to
    identify it): the size is refused before any decoding."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1))) + chunk(b"IEND", b""))


def test_a_photo_is_shrunk_stripped_of_exif_and_served(member_client):
    response = post_image(member_client, "site [visit].jpg", jpeg_with_exif((3000, 2000)))
    assert response.status_code == 200
    answer = response.get_json()
    assert re.fullmatch(r"!\[site visit\]\(/forums/images/[0-9a-f]{32}\.jpg\)",
                        answer["markdown"])
    served = member_client.get(answer["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "private, no-cache" and served.headers["ETag"]
    with Image.open(io.BytesIO(served.data)) as image:
        assert max(image.size) == 1600 and image.size == (1600, 1067)
        assert not image.getexif()
    assert b"Secret Camera" not in served.data and b"Rue Example" not in served.data


def test_a_screenshot_stays_png(member_client):
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 20, 30, 128)).save(out, "PNG")
    response = post_image(member_client, "screen.png", out.getvalue())
    assert response.get_json()["url"].endswith(".png")


def test_a_file_that_is_not_an_image_is_refused(member_client):
    response = post_image(member_client, "notes.png", b"PCB inventory, not a picture" * 10)
    assert response.status_code == 400
    assert "not an image we can read" in response.get_json()["error"]


def test_a_fifty_megapixel_png_is_refused_before_decoding(member_client):
    response = post_image(member_client, "huge.png", png_header(10_000, 5_000))
    assert response.status_code == 400
    assert "50 megapixels; the limit is 25" in response.get_json()["error"]


def test_a_decompression_bomb_is_refused(member_client):
    response = post_image(member_client, "bomb.png", png_header(100_000, 100_000))
    assert response.status_code == 400
    assert "megapixels" in response.get_json()["error"]


def test_an_svg_with_a_script_is_refused(member_client):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name in ("drawing.svg", "drawing.png"):
        response = post_image(member_client, name, svg)
        assert response.status_code == 400
        assert "SVG images are not accepted" in response.get_json()["error"]


def test_stored_names_only_and_members_only(member_client, app):
    url = post_image(member_client, "a.jpg", jpeg_with_exif((40, 30))).get_json()["url"]
    assert member_client.get("/forums/images/..%2Fsecret.jpg").status_code == 404
    assert member_client.get("/forums/images/nothing.jpg").status_code == 404
    assert app.test_client().get(url).status_code == 302  # to the sign-in page
