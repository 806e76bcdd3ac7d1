"""Signals other identity areas listen to, so auth never imports them.

Each is sent inside the transaction of the change, before the commit, so a
receiver's own writes (an index outbox row, say) commit with it.
"""

from blinker import Namespace

_signals = Namespace()

#: sent with ``user`` when an account is created or its name, status or roles change
account_changed = _signals.signal("account-changed")

#: sent with ``user`` after a successful sign-in (a pending account closure is cancelled)
signed_in = _signals.signal("signed-in")

#: sent with ``user`` when a closed account's personal data is erased: areas delete what
#: they hold of the person (their contributions stay, shown as by a former member)
account_erased = _signals.signal("account-erased")
