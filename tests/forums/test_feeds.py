"""Atom feeds: a personal, revocable key; only what the key's owner may read."""

from xml.etree import ElementTree as ET

from pen.forums import service
from pen.notifications import feedkeys

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_lists_the_latest_posts_for_the_key_owner(client, topic, category, member,
                                                       admin):
    service.reply(member, topic, "Use <b>sealed</b> vials & labels")
    service.create_topic(admin, category, "Group-only topic", "Secret", group_id=9)
    token = feedkeys.renew(member)
    response = client.get(f"/forums/c/{category.slug}/feed.atom?key={token}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.data)  # noqa: S314 - our own output
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert titles == [f"Re: {topic.title}", topic.title]
    content = feed.find(f"{ATOM}entry").findtext(f"{ATOM}content")
    assert "<b>sealed</b>" in content and "&amp;" in content  # escaped once by XML


def test_revoked_or_forged_keys_get_404(client, topic, category, member):
    token = feedkeys.renew(member)
    url = f"/forums/c/{category.slug}/feed.atom?key="
    assert client.get(url + token).status_code == 200
    renewed = feedkeys.renew(member)
    assert client.get(url + token).status_code == 404
    assert client.get(url + renewed).status_code == 200
    feedkeys.revoke(member)
    assert client.get(url + renewed).status_code == 404
    assert client.get(url + "forged.token").status_code == 404
    assert client.get(url).status_code == 404  # an empty key is a wrong key
    anonymous = client.get(f"/forums/c/{category.slug}/feed.atom")
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


def test_signed_in_members_read_the_feed_without_a_key(topic, category, member, client_as):
    response = client_as(member).get(f"/forums/c/{category.slug}/feed.atom")
    assert response.status_code == 200 and topic.title.encode() in response.data


def test_feed_links_appear_on_category_pages(topic, category, member, client_as):
    client = client_as(member)
    assert "Create a personal feed link" in client.get(f"/forums/c/{category.slug}").get_data(
        as_text=True)
    client.post("/notifications/settings/feed-key", data={"action": "renew"})
    html = client.get(f"/forums/c/{category.slug}").get_data(as_text=True)
    assert f"/forums/c/{category.slug}/feed.atom?key=" in html
