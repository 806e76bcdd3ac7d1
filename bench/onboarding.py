"""Rollout: import 520 members and queue their invitations; deliver them at the throttle.

    .venv/bin/python -m bench.onboarding                      # SQLite, 520 members, 200/min
    .venv/bin/python -m bench.onboarding --per-minute 2000    # a quicker delivery run
    .venv/bin/python -m bench.onboarding --db-url postgresql+psycopg://postgres@127.0.0.1:5432/test

Targets (issue 4): importing 520 members and queueing all their invitations takes
<= 10 s; delivery to a local SMTP server (aiosmtpd on loopback) keeps to the
configured throttle (``INVITATIONS_PER_MINUTE``, default 200) with the report
exact: every invited member receives one message, none twice, none lost, and
every link in them opens a usable invitation. Delivery runs the worker's mail
pass every ``--interval`` seconds, as ``flask --app pen worker`` does.
"""

import argparse
import bisect
import csv
import io
import math
import random
import re
import time
from collections import Counter
from datetime import timedelta
from itertools import pairwise

from sqlalchemy import func, select

from bench.common import bench_app, pg_schema
from bench.members import FIRST, LAST, ORGS
from pen import mail
from pen.auth.system import SYSTEM
from pen.extensions import db
from pen.mail import MailMessage
from pen.members import countries
from pen.members.importer import import_members
from pen.onboarding import sending, service, tracking
from pen.onboarding.models import Invitation
from pen.types import utcnow
from tests.smtp_server import SMTPServer

LINK = re.compile(r"/invite/([A-Za-z0-9_\-]{20,})")
LANGUAGES = ("English", "French", "Spanish", "Russian", "Arabic", "Chinese")


def contact_list(count: int, seed: int = 2011) -> str:
    """A contact list of ``count`` members in the network's own CSV shape (about 8% test group)."""
    rng = random.Random(seed)
    codes = sorted(countries.REGION_OF)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["name", "email", "country", "organisation", "languages", "test_group"])
    for number in range(count):
        country = rng.choice(codes)
        writer.writerow([f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                         f"member{number}@rollout.example", countries.name(country),
                         f"{rng.choice(ORGS)} of {countries.name(country)}",
                         "; ".join(rng.sample(LANGUAGES, 2)),
                         "yes" if rng.random() < 0.08 else ""])
    return out.getvalue()


def import_and_queue(count: int) -> sending.SendReport:
    """Phase one: the import and the bulk send, timed separately and together."""
    text = contact_list(count)
    started = time.perf_counter()
    imported = import_members(text)
    middle = time.perf_counter()
    report = sending.send_invitations(SYSTEM, "all")
    ended = time.perf_counter()
    total = ended - started
    print(f"import of {count} members ({imported.summary()}): {middle - started:.2f} s")
    print(f"queueing their invitations ({report.summary()}): {ended - middle:.2f} s")
    print(f"import + queue: {total:.2f} s  target <= 10 s: {'met' if total <= 10 else 'MISSED'}")
    return report


def deliver(app, invited: int, interval: float) -> None:
    """Phase two: the worker's mail pass against a real SMTP server until the outbox is empty."""
    server = SMTPServer().start()
    app.config["MAIL_URL"] = server.url
    per_minute = app.config["INVITATIONS_PER_MINUTE"]
    print(f"delivering {invited} invitations at {per_minute}/min "
          f"(about {(invited - 1) * 60 / per_minute:.0f} s), a worker pass every {interval} s",
          flush=True)
    try:
        started = time.perf_counter()
        passes = _work(server, interval)
        gap = max((b - a for a, b in pairwise(passes)), default=interval)
        print(f"delivered in {time.perf_counter() - started:.1f} s, {len(passes)} worker passes "
              f"(at most {gap:.1f} s apart)")
        check(server, invited, per_minute, gap)
    finally:
        server.stop()


def _work(server: SMTPServer, interval: float) -> list[float]:
    """Mail passes every ``interval`` seconds while mail is pending; when each pass began."""
    passes: list[float] = []
    while _pending():
        passes.append(time.perf_counter())
        mail.deliver_due(limit=1000)
        db.session.remove()
        if len(passes) % max(1, round(30 / interval)) == 0:
            print(f"  {passes[-1] - passes[0]:5.0f} s: {len(server.envelopes)} delivered",
                  flush=True)
        time.sleep(interval)
    return passes


def _pending() -> int:
    return db.session.scalar(select(func.count()).select_from(MailMessage)
                             .where(MailMessage.status == "pending"))


def check(server: SMTPServer, invited: int, per_minute: float, gap: float) -> None:
    """The report: rate kept, every member once, nothing lost, every link usable.

    The throttle spaces due times; a worker pass sends what fell due since the one
    before, so a minute of sending may hold one pass's worth (``gap``) more than the limit.
    """
    due = sorted(db.session.scalars(select(MailMessage.next_attempt_at)))
    sent_at = sorted(db.session.scalars(select(MailMessage.sent_at)
                                        .where(MailMessage.sent_at.is_not(None))))
    span = (sent_at[-1] - sent_at[0]).total_seconds() if len(sent_at) > 1 else 0
    rate = (len(sent_at) - 1) * 60 / span if span else float("nan")
    backlog = math.ceil(per_minute * gap / 60)
    busiest_due, busiest_sent = _busiest(due), _busiest(sent_at)
    print(f"throttle: at most {busiest_due} due in any minute (limit {per_minute:.0f}): "
          f"{'kept' if busiest_due <= per_minute else 'EXCEEDED'}; sent at {rate:.1f}/min on "
          f"average over {span:.0f} s; busiest minute of sending {busiest_sent} (a pass sends "
          f"what fell due since the last, here up to {backlog} over the limit): "
          f"{'kept' if busiest_sent <= per_minute + backlog else 'EXCEEDED'}")
    recipients = Counter(envelope.rcpt_tos[0] for envelope in server.envelopes)
    counts = tracking.counts(utcnow())
    usable = sum(1 for message in server.messages
                 if service.usable_invitation(_token(message)) is not None)
    exact = (len(recipients) == invited and max(recipients.values()) == 1
             and counts["sent"] == invited and usable == invited)
    print(f"report: {invited} invited, {len(server.envelopes)} received by the server, "
          f"{len(recipients)} distinct recipients, {sum(n > 1 for n in recipients.values())} "
          f"received twice, tracking says {counts['sent']} sent / {counts['failed']} failed / "
          f"{counts['queued']} queued, {usable} links usable: {'exact' if exact else 'NOT EXACT'}")


def _busiest(times: list) -> int:
    """The most moments that fall within one minute of each other."""
    return max((_in_window(times, i) for i in range(len(times))), default=0)


def _in_window(times: list, start: int) -> int:
    """How many of the sorted ``times`` fall in the minute starting at ``times[start]``."""
    return bisect.bisect_left(times, times[start] + timedelta(seconds=60)) - start


def _token(message) -> str:
    found = LINK.search(message.get_body(preferencelist=("plain",)).get_content())
    return found.group(1) if found else ""


def run(members: int, per_minute: float | None, interval: float, db_url: str | None,
        skip_delivery: bool) -> None:
    """Both phases on a fresh database."""
    app, _ = bench_app(db_url)
    if per_minute:
        app.config["INVITATIONS_PER_MINUTE"] = per_minute
    with app.app_context():
        db.create_all()
        report = import_and_queue(members)
        assert db.session.scalar(select(func.count()).select_from(Invitation)) == report.invited
        if not skip_delivery:
            deliver(app, report.invited, interval)
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=520)
    parser.add_argument("--per-minute", type=float, default=None,
                        help="throttle; default the configured INVITATIONS_PER_MINUTE (200)")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between passes")
    parser.add_argument("--db-url", default=None, help="PostgreSQL URL; default SQLite")
    parser.add_argument("--skip-delivery", action="store_true")
    args = parser.parse_args()
    with pg_schema(args.db_url) as url:
        run(args.members, args.per_minute, args.interval, url, args.skip_delivery)


if __name__ == "__main__":
    main()
