"""Forum categories and tags in the member's language (``pen.vocabulary``)."""

from pen import vocabulary
from pen.extensions import db
from pen.forums import service, tags
from pen.members import service as members


def test_a_russian_member_sees_categories_and_tags_in_russian(category, author, admin,
                                                                member, client_as):
    tag = tags.create(admin, "Transformer oil")
    topic = service.create_topic(author, category, "Sampling oil", "How?")
    tags.set_for_topic(admin, topic, [tag.id])
    vocabulary.seed("forum_tag", {str(tag.id): {"ru": "Трансформаторное масло"}})
    vocabulary.seed("forum_category", {str(category.id): {"ru": "Обслуживание оборудования"}})
    members.profile_of(member).locale = "ru"
    db.session.commit()
    client = client_as(member)
    for url in (f"/forums/c/{category.slug}", f"/forums/t/{topic.id}",
                f"/forums/tags/{tag.slug}", "/forums/tags"):
        html = client.get(url).get_data(as_text=True)
        assert "Трансформаторное масло" in html and "Transformer oil" not in html, url
    html = client.get(f"/forums/t/{topic.id}").get_data(as_text=True)
    assert "Обслуживание оборудования" in html and category.name not in html
