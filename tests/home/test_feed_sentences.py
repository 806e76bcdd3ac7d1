"""Each feed line is one translated sentence: its links where the language puts them, titles
and names escaped (a title is text, never markup), in French and in Arabic as in English."""

import re

import pytest

from pen.forums import service as forums

from .conftest import add_document, join

TITLE = 'Stocks <b>"PCB"</b> & co'
ESCAPED = "Stocks &lt;b&gt;&#34;PCB&#34;&lt;/b&gt; &amp; co"


def line_with(page: str, needle: str) -> str:
    """The text of the feed line holding ``needle`` (its markup kept)."""
    lines = re.findall(r'<span class="pen-feed-line">(.*?)</span>', page, re.S)
    found = [line for line in lines if needle in line]
    assert len(found) == 1, lines
    return found[0]


def feed(client, language: str) -> str:
    return client.get("/activity", headers={"Accept-Language": language}).get_data(as_text=True)


@pytest.fixture
def group_reply(member, make_user, make_group, category):
    """A reply by "Ana <Admin>" to a topic with markup in its title, in a group of the member."""
    group = make_group("transformers")
    author = make_user(name="Ana <Admin>")
    join(member, group)
    join(author, group)
    topic = forums.create_topic(member, category, TITLE, "Body.", group_id=group.id)
    post = forums.reply(author, topic, "A reply.")
    return group, topic, post


def test_a_reply_in_a_group_reads_as_one_french_sentence(member_client, group_reply):
    _group, _topic, post = group_reply
    line = line_with(feed(member_client, "fr"), "répondu")
    assert line == (f'Ana &lt;Admin&gt; a répondu à <a href="/forums/p/{post.id}" dir="auto">'
                    f'{ESCAPED}</a> dans le groupe <a href="/groups/transformers" dir="auto">'
                    f"Group transformers</a>")
    assert "<b>" not in line


def test_a_reply_in_a_group_reads_as_one_arabic_sentence(member_client, group_reply):
    _group, _topic, post = group_reply
    line = line_with(feed(member_client, "ar"), "ردّ")
    assert line == (f'ردّ Ana &lt;Admin&gt; على <a href="/forums/p/{post.id}" dir="auto">'
                    f'{ESCAPED}</a> في الفريق <a href="/groups/transformers" dir="auto">'
                    f"Group transformers</a>")


def test_a_document_outside_groups_has_no_group_in_its_sentence(member_client, member):
    document = add_document(TITLE, uploader=member)
    line = line_with(feed(member_client, "fr"), "partagé")
    assert line == (f"{member.display_name} a partagé le document "
                    f'<a href="/library/{document.id}" dir="auto">{ESCAPED}</a>')
    arabic = line_with(feed(member_client, "ar"), "شارك")
    assert arabic == (f"شارك {member.display_name} الوثيقة "
                      f'<a href="/library/{document.id}" dir="auto">{ESCAPED}</a>')


def test_the_english_sentence_names_the_group_once(member_client, group_reply):
    _group, topic, _post = group_reply
    line = line_with(feed(member_client, "en"), "started the topic")
    assert line.startswith(f'{topic.author.display_name} started the topic <a href="/forums/')
    assert line.endswith('in the group <a href="/groups/transformers" dir="auto">'
                         "Group transformers</a>")
