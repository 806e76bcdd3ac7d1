"""The member's home: dashboard, activity feed, unified search page."""

from flask import Flask


def register(app: Flask) -> None:
    """The feed sources the home page still defines itself (members, groups, awards)."""
    from . import sources

    sources.register(app)
