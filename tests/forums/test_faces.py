"""Faces: initials on a colour for members without a photo, cached thumbnails for the rest."""

import colorsys
import io
import re

import pytest
from PIL import Image

from pen import avatars
from pen.auth.models import UserStatus
from pen.auth.system import SYSTEM
from pen.forums import service as forums
from pen.members import service
from tests.members.test_profile import jpeg_with_exif


@pytest.mark.parametrize(("name", "expected"), [
    ("Ana González", "AG"),
    ("Nguyen Thi Lan", "NL"),
    ("Иван Петров", "ИП"),
    ("محمد علي", "مع"),
    ("张伟", "张"),
    ("Madonna", "M"),
    ("  (Dr.) Jean-Paul  Sartre ", "DS"),
    ("", "?"),
])
def test_initials_take_the_first_letters_of_the_name(name, expected):
    assert avatars.initials(name) == expected


def _luminance(red, green, blue) -> float:
    channel = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
               for c in (red, green, blue)]
    return 0.2126 * channel[0] + 0.7152 * channel[1] + 0.0722 * channel[2]


@pytest.mark.parametrize("name", ["Ana González", "Иван Петров", "张伟", "محمد علي", "x"])
def test_colours_are_stable_and_white_initials_stay_readable(name):
    assert avatars.colour(name) == avatars.colour(name)
    hue, sat, light = map(int, re.findall(r"\d+", avatars.colour(name)))
    rgb = colorsys.hls_to_rgb(hue / 360, light / 100, sat / 100)
    assert (1.05) / (_luminance(*rgb) + 0.05) >= 4.5  # WCAG AA against white


def test_posts_and_topic_lists_show_generated_faces(client_as, member, category):
    writer = service.profile_of(member).user
    topic = forums.create_topic(writer, category, "Oil sampling", "Which kit?")
    client = client_as(member)
    for url in (f"/forums/t/{topic.id}", f"/forums/c/{category.slug}"):
        html = client.get(url).get_data(as_text=True)
        assert re.search(r'<svg class="pen-avatar"[^>]*>.*?>NL</text></svg>', html), url


def test_a_photo_becomes_a_cached_thumbnail_in_lists(client_as, member, make_user, category):
    service.set_photo(SYSTEM, service.profile_of(member), jpeg_with_exif((400, 300)))
    forums.create_topic(member, category, "Capacitor labels", "Photos attached")
    reader = client_as(make_user())
    html = reader.get(f"/forums/c/{category.slug}").get_data(as_text=True)
    src = re.search(r'<img class="pen-avatar" src="([^"]+)"', html).group(1)
    assert f"/members/{member.id}/avatar/32/" in src
    served = reader.get(src)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert Image.open(io.BytesIO(served.data)).size == (32, 32)
    assert "immutable" in served.headers["Cache-Control"]
    assert "private" in served.headers["Cache-Control"]
    assert reader.get(src.replace("/32/", "/64/")).status_code == 200
    assert reader.get(src.replace("/32/", "/500/")).status_code == 404


def test_a_new_photo_gets_a_new_address_and_the_old_one_goes(client_as, member, make_user):
    profile = service.profile_of(member)
    service.set_photo(SYSTEM, profile, jpeg_with_exif((100, 100)))
    old = f"/members/{member.id}/avatar/32/{profile.photo}"
    reader = client_as(make_user())
    assert reader.get(old).status_code == 200
    service.set_photo(SYSTEM, profile, jpeg_with_exif((120, 120)))
    assert reader.get(old).status_code == 404
    assert reader.get(f"/members/{member.id}/avatar/32/{profile.photo}").status_code == 200
    service.remove_photo(SYSTEM, profile)
    assert member.avatar_key is None


def test_thumbnails_follow_who_may_see_the_profile(make_user, client_as, client):
    hidden = make_user(name="Not Yet", status=UserStatus.INVITED, password=None)
    profile = service.profile_of(hidden)
    service.set_photo(SYSTEM, profile, jpeg_with_exif((50, 50)))
    url = f"/members/{hidden.id}/avatar/32/{profile.photo}"
    assert client_as(make_user()).get(url).status_code == 404
    assert client.get(url).status_code in (302, 401, 404)  # signed out: never the picture
    assert client.get(url).mimetype != "image/jpeg"


def test_directory_feed_and_notifications_show_faces(client_as, member, make_user, category):
    other = make_user(name="Иван Петров")
    topic = forums.create_topic(member, category, "Inventories", "Body")
    forums.reply(other, topic, "An answer")
    client = client_as(member)
    for url in ("/members/", "/notifications/", "/activity"):
        html = client.get(url).get_data(as_text=True)
        assert ">ИП</text></svg>" in html, url


def test_faces_cost_no_query_more_in_lists(client_as, member, make_user, category):
    from tests.conftest import statements_of_get as count_queries

    forums.create_topic(make_user(), category, "Without photos", "Body")
    client = client_as(member)
    few = count_queries(client, f"/forums/c/{category.slug}")
    for i in range(6):
        writer = make_user()
        service.set_photo(SYSTEM, service.profile_of(writer), jpeg_with_exif((60, 60)))
        topic = forums.create_topic(writer, category, f"With a photo {i}", "Body")
        forums.reply(make_user(), topic, "Answer")
    many = count_queries(client, f"/forums/c/{category.slug}")
    assert len(many) == len(few), "\n".join(s.splitlines()[0] for s in many)
    assert many and client.get(f"/forums/c/{category.slug}").get_data(
        as_text=True).count('<img class="pen-avatar"') == 6
