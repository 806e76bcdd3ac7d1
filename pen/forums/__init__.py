"""Discussion forums: categories, topics, posts, moderation, following, feeds, search."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from .. import notifications, search, worker
from ..vocabulary import Kind, register_kind


def register(app: Flask) -> None:
    """Visibility rules, blueprint and its routes, search adapter, notification target,
    predicates."""
    _register_stored(app)
    from . import (  # noqa: F401
        activity,
        bookmark_views,
        composer_views,
        draft_views,
        email_replies,
        group_views,
        images,
        indexing,
        kept_files,
        list_views,
        moderation_views,
        permissions,
        profile_activity,
        reaction_views,
        reminders,
        search_views,
        topic_views,
    )
    from .views import bp

    app.register_blueprint(bp)
    _register_vocabulary(app)
    topic_views.init_app(app)
    worker.register_task(app, "bookmark reminders", reminders.send_due)
    worker.register_task(app, "forum pending files", kept_files.sweep)
    worker.register_task(app, "forum pasted images", images.sweep)
    group_views.register(app)
    search.register_adapter(app, indexing.PostAdapter())
    permissions.register_rules(app)
    activity.register(app)
    notifications.register_target(app, permissions.TOPIC_KIND,
                                  notifications.RuleTarget(permissions.TOPIC_KIND))
    notifications.register_target(app, permissions.POST_KIND,  # reactions are about a post
                                  notifications.RuleTarget(permissions.POST_KIND))
    for kind, label in (("forum.reply", _l("New reply")), ("forum.topic", _l("New topic")),
                        ("forum.mention", _l("You were mentioned")),
                        ("forum.reaction", _l("Reactions to your post")),
                        (reminders.KIND, _l("Bookmark reminder"))):
        notifications.register_kind(app, kind, label)
    notifications.register_reply_target(app, permissions.TOPIC_KIND, "t",
                                        email_replies.reply_by_email)
    permissions.register_predicates(app)
    profile_activity.register(app)
    _register_my_data(app)


def _register_my_data(app: Flask) -> None:
    """The member's posts and attachments go in "download my data"."""
    from ..privacy import exports
    from . import mydata

    exports.register_section(app, "forum_posts", mydata.posts)


def _register_vocabulary(app: Flask) -> None:
    """Categories and tags get labels per language; a search for a tag's label in any
    language also finds the tag's name."""
    from . import reading, tags

    register_kind(app, Kind("forum_category", _l("Forum categories"), terms=lambda: [
        (str(category.id), category.name) for category in reading.categories()]))
    register_kind(app, Kind("forum_tag", _l("Forum tags"), searchable=True, max_length=40,
                            terms=lambda: [(str(tag.id), tag.name) for tag in tags.all_tags()]))


def _register_stored(app: Flask) -> None:
    """The Markdown this area stores rendered, for ``markup rerender``."""
    from .. import rerender
    from .models import Category, Post, PostRevision
    from .posting import render

    def with_mentions(body: str) -> str:
        return render(body)[0]

    rerender.register_stored(app, "forum posts", Post, "body", "body_html", with_mentions)
    rerender.register_stored(app, "forum post versions", PostRevision, "body", "body_html",
                             with_mentions)
    rerender.register_stored(app, "forum categories", Category, "description",
                             "description_html")
