"""Discussion forums: categories, topics, posts, moderation, following, feeds, search."""

from flask import Flask

from .. import notifications, search


def register(app: Flask) -> None:
    """Blueprint and its routes, search adapter, notification target, predicates."""
    from . import group_views, indexing, moderation_views, permissions, search_views, watching  # noqa: F401
    from .views import bp

    app.register_blueprint(bp)
    group_views.register(app)
    search.register_adapter(app, indexing.PostAdapter())
    notifications.register_target(app, "forum_topic", watching.visible_topic_ids)
    permissions.register_predicates()
