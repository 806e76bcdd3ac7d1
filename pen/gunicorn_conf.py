"""gunicorn settings for PEN: ``gunicorn -c python:pen.gunicorn_conf [options]``.

The master checks the settings once, before it starts any worker (``on_starting``): an
unusable one stops gunicorn with its one line on stderr and exit status 1. Without it
every worker finds the problem on its own, and when several fail at once gunicorn prints
a traceback of its own while it shuts the others down.
"""

import sys

wsgi_app = "pen:create_app()"  # the application, unless the command line names one


def on_starting(server) -> None:
    """gunicorn's hook before the first worker: stop here if a setting cannot work."""
    from pen import startup
    from pen.config import ConfigurationError

    try:
        startup.check_environment()
    except ConfigurationError as exc:
        print(exc.format_message(), file=sys.stderr)
        sys.exit(1)
