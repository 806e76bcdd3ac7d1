"""Who may see an object: one rule per kind, from which every form follows.

A rule is declared once, as conditions on the user and on the object's columns,
combined with ``AllOf`` and ``AnyOf``. Each leaf condition states its SQL form and
its Python form side by side, from one declaration (a column and a value, a
column and a set of the user's values, a predicate on the user), and names the
index terms it stands for. From that tree the rule answers in three forms:

- ``can(user, obj)``: one object already loaded (a page, a download, a mail);
- ``clause(user)``: a SQL condition for lists and counts,
  ``select(Model).where(rule.clause(user))``;
- ``acl(obj)`` / ``terms(user)``: what the search index stores with a document
  and what a user's search filters with. A document is visible to a user iff
  ``acl(obj) & terms(user)`` is not empty.

Why terms work for a whole tree: each leaf gives the object a set of marks and
the user a set of keys, and holds iff they share one. ``AnyOf`` unites its
children's marks and keys; ``AllOf`` takes the product of its children's marks
(and of their keys), joined with ``&``, so a product mark meets a product key iff
every child met. Marks of object-only conditions that hold are the same for every
user, so an ``AnyOf`` with one of them holding needs no other mark: a public post
carries one term, not one per way of seeing it.

This module is core: it knows SQLAlchemy and Flask, never an area. Areas define
their rules in their ``permissions.py`` and register them with ``register_rule``;
everyone else asks ``rule_for(kind)``.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import product

from flask import Flask, current_app
from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.sql.elements import False_, True_

from .extensions import db

_RULES_KEY = "pen.visibility.rules"
AND = "&"


class Node:
    """A part of a rule: SQL, Python and index forms of one condition."""

    def where(self, user):
        """The condition as SQL, for ``user``."""
        raise NotImplementedError

    def holds(self, user, obj) -> bool:
        """The condition in Python, for one object."""
        raise NotImplementedError

    def marks(self, obj) -> set[str]:
        """The index terms the object carries for this condition."""
        raise NotImplementedError

    def keys(self, user) -> set[str]:
        """The index terms ``user`` holds for this condition."""
        raise NotImplementedError

    def universal(self, obj) -> bool:
        """True when the condition holds for ``obj`` whoever the user is."""
        return False

    def describe(self) -> str:
        """The condition's shape, for ``Rule.signature``."""
        raise NotImplementedError


@dataclass(frozen=True, eq=False)
class UserIs(Node):
    """A condition on the user alone (a member, a moderator, an administrator)."""

    name: str
    predicate: Callable[[object], bool]

    def where(self, user):
        """Constant: SQLAlchemy folds it away inside ``and_``/``or_``."""
        return true() if self.predicate(user) else false()

    def holds(self, user, obj) -> bool:
        """The predicate, whatever the object."""
        return bool(self.predicate(user))

    def marks(self, obj) -> set[str]:
        """Every object carries the condition's name."""
        return {self.name}

    def keys(self, user) -> set[str]:
        """Only users for whom the predicate holds carry it."""
        return {self.name} if self.predicate(user) else set()

    def describe(self) -> str:
        """``user:name``."""
        return f"user:{self.name}"


@dataclass(frozen=True, eq=False)
class Is(Node):
    """A condition on the object alone: ``column`` equals ``value`` (None: IS NULL).

    The Python form reads the attribute named like the column, so the two forms
    come from the same declaration. Booleans compare by truth in Python, since a
    new object's default may not be applied before it is flushed.
    """

    name: str
    column: object
    value: object

    def where(self, user):
        """``column IS NULL`` or ``column = value``."""
        return self.column.is_(None) if self.value is None else self.column == self.value

    def holds(self, user, obj) -> bool:
        """The object's attribute compared with the value."""
        actual = getattr(obj, self.column.key)
        value = self.value
        if value is None:
            return actual is None
        if value is True or value is False:
            return bool(actual) is value
        return actual == value

    def marks(self, obj) -> set[str]:
        """The name when the object satisfies it, else nothing."""
        return {self.name} if self.holds(None, obj) else set()

    def keys(self, user) -> set[str]:
        """Every user holds the name: the condition is about the object."""
        return {self.name}

    def universal(self, obj) -> bool:
        """Holding for the object means holding for everyone."""
        return self.holds(None, obj)

    def describe(self) -> str:
        """``is:name:column=value``."""
        return f"is:{self.name}:{self.column}={self.value!r}"


@dataclass(frozen=True, eq=False)
class IsSet(Node):
    """A condition on the object alone: ``column`` has a value (IS NOT NULL)."""

    name: str
    column: object

    def where(self, user):
        """``column IS NOT NULL``."""
        return self.column.is_not(None)

    def holds(self, user, obj) -> bool:
        """The object's attribute is not None."""
        return getattr(obj, self.column.key) is not None

    def marks(self, obj) -> set[str]:
        """The name when the object has a value, else nothing."""
        return {self.name} if self.holds(None, obj) else set()

    def keys(self, user) -> set[str]:
        """Every user holds the name: the condition is about the object."""
        return {self.name}

    def universal(self, obj) -> bool:
        """Holding for the object means holding for everyone."""
        return self.holds(None, obj)

    def describe(self) -> str:
        """``set:name:column``."""
        return f"set:{self.name}:{self.column}"


@dataclass(frozen=True, eq=False)
class In(Node):
    """The object's ``column`` is one of the user's values (their groups, their own id)."""

    name: str
    column: object
    values: Callable[[object], Iterable[int]]

    def _values(self, user) -> set:
        """The user's values, without None (none at all for no user)."""
        if user is None:
            return set()
        return {v for v in self.values(user) if v is not None}

    def where(self, user):
        """``column IN (...)``; nothing when the user has no values."""
        values = self._values(user)
        return self.column.in_(sorted(values)) if values else false()

    def holds(self, user, obj) -> bool:
        """The object's value is among the user's."""
        value = getattr(obj, self.column.key)
        return value is not None and value in self._values(user)

    def marks(self, obj) -> set[str]:
        """``name:value`` (nothing when the object has no value)."""
        value = getattr(obj, self.column.key)
        return {f"{self.name}:{value}"} if value is not None else set()

    def keys(self, user) -> set[str]:
        """``name:value`` for each of the user's values."""
        return {f"{self.name}:{v}" for v in self._values(user)}

    def describe(self) -> str:
        """``in:name:column``."""
        return f"in:{self.name}:{self.column}"


@dataclass(frozen=True, eq=False)
class Via(Node):
    """Another kind's whole rule, reached through a many-to-one relationship
    (a post is seen with its topic, a document with its work)."""

    relationship: object
    rule: "Rule"

    def where(self, user):
        """``EXISTS`` the related row, visible by its own rule."""
        return self.relationship.has(self.rule.clause(user))

    def holds(self, user, obj) -> bool:
        """The related object's rule."""
        return self.rule.can(user, getattr(obj, self.relationship.key))

    def marks(self, obj) -> set[str]:
        """The related object's acl."""
        return self.rule.acl(getattr(obj, self.relationship.key))

    def keys(self, user) -> set[str]:
        """The user's terms for the related kind."""
        return self.rule.terms(user)

    def describe(self) -> str:
        """``via:relationship(the related rule)``."""
        return f"via:{self.relationship}({self.rule.root.describe()})"


@dataclass(frozen=True, eq=False)
class Among(Node):
    """The user is among the object's related rows: a one-to-many relationship (a
    conversation's participants) with a row whose ``user_column`` is the user's id
    and which meets ``related``, an object-only condition on that row (not left)."""

    name: str
    relationship: object
    user_column: object
    related: Node | None = None

    def _counts(self, row) -> bool:
        """Whether a related row stands for its user (``related`` holds for it)."""
        return self.related is None or self.related.holds(None, row)

    def where(self, user):
        """``EXISTS`` a related row of the user's that meets ``related``."""
        user_id = getattr(user, "id", None)
        if user_id is None:
            return false()
        condition = self.user_column == user_id
        if self.related is not None:
            condition = and_(condition, self.related.where(None))
        return self.relationship.any(condition)

    def holds(self, user, obj) -> bool:
        """One of the loaded related rows is the user's and counts."""
        user_id, key = getattr(user, "id", None), self.user_column.key
        if user_id is None:
            return False
        rows = getattr(obj, self.relationship.key)
        return any(getattr(row, key) == user_id and self._counts(row) for row in rows)

    def marks(self, obj) -> set[str]:
        """``name:<user id>`` for each related row that counts."""
        key = self.user_column.key
        return {f"{self.name}:{getattr(row, key)}"
                for row in getattr(obj, self.relationship.key) if self._counts(row)}

    def keys(self, user) -> set[str]:
        """``name:<the user's id>``."""
        user_id = getattr(user, "id", None)
        return {f"{self.name}:{user_id}"} if user_id is not None else set()

    def describe(self) -> str:
        """``among:name:relationship:column(related)``."""
        related = self.related.describe() if self.related is not None else ""
        return f"among:{self.name}:{self.relationship}:{self.user_column}({related})"


class AllOf(Node):
    """Every child holds."""

    def __init__(self, *children: Node):
        """Combine ``children``."""
        self.children = children

    def where(self, user):
        """The children's SQL joined with AND; ``false()`` as soon as a child is (the
        others are not asked: their values may cost a query)."""
        parts = []
        for child in self.children:
            part = child.where(user)
            if isinstance(part, False_):
                return false()
            parts.append(part)
        return and_(true(), *parts)

    def holds(self, user, obj) -> bool:
        """Every child's Python form."""
        # A loop, not all(<generator>): pages ask this per post, and it is 2x faster.
        for child in self.children:  # noqa: SIM110
            if not child.holds(user, obj):
                return False
        return True

    def marks(self, obj) -> set[str]:
        """The product of the children's marks."""
        return _product(child.marks(obj) for child in self.children)

    def keys(self, user) -> set[str]:
        """The product of the children's keys."""
        return _product(child.keys(user) for child in self.children)

    def universal(self, obj) -> bool:
        """Universal when every child is."""
        return all(child.universal(obj) for child in self.children)

    def describe(self) -> str:
        """``all(...)``."""
        return f"all({','.join(child.describe() for child in self.children)})"


class AnyOf(Node):
    """At least one child holds."""

    def __init__(self, *children: Node):
        """Combine ``children``."""
        # AnyOf(a, AnyOf(b, c)) is AnyOf(a, b, c): the same terms, and the same
        # signature, so sharing a part (``groups.permissions.in_group``) rebuilds no index.
        self.children = tuple(grandchild for child in children for grandchild in
                              (child.children if type(child) is AnyOf else (child,)))

    def where(self, user):
        """The children's SQL joined with OR; ``true()`` as soon as a child is (an
        administrator's groups are not looked up, for instance)."""
        parts = []
        for child in self.children:
            part = child.where(user)
            if isinstance(part, True_):
                return true()
            parts.append(part)
        return or_(false(), *parts)

    def holds(self, user, obj) -> bool:
        """Any child's Python form."""
        # A loop, not any(<generator>): pages ask this per post, and it is 2x faster.
        for child in self.children:  # noqa: SIM110
            if child.holds(user, obj):
                return True
        return False

    def marks(self, obj) -> set[str]:
        """The children's marks; only the first universal child's when one is
        (everyone meets it, the others would add terms and nothing else)."""
        for child in self.children:
            if child.universal(obj):
                return child.marks(obj)
        return set().union(*(child.marks(obj) for child in self.children))

    def keys(self, user) -> set[str]:
        """The children's keys."""
        return set().union(*(child.keys(user) for child in self.children))

    def universal(self, obj) -> bool:
        """Universal when any child is."""
        return any(child.universal(obj) for child in self.children)

    def describe(self) -> str:
        """``any(...)``."""
        return f"any({','.join(child.describe() for child in self.children)})"


def _product(parts: Iterable[set[str]]) -> set[str]:
    """Every combination of one term per part, joined with ``&`` (empty if a part is)."""
    return {AND.join(combo) for combo in product(*(sorted(p) for p in parts))}


class Rule:
    """The visibility rule of one kind of object: ``AllOf`` its conditions."""

    def __init__(self, kind: str, model, *conditions: Node):
        """The rule of ``kind`` (objects of ``model``): every condition must hold."""
        self.kind = kind
        self.model = model
        self.root = AllOf(*conditions)

    def can(self, user, obj) -> bool:
        """Whether ``user`` may see ``obj`` (False for None)."""
        return obj is not None and self.root.holds(user, obj)

    def clause(self, user):
        """The rule as a SQL condition on ``self.model``."""
        return self.root.where(user)

    def acl(self, obj) -> set[str]:
        """The index terms stored with ``obj``."""
        return self.root.marks(obj)

    def terms(self, user) -> set[str]:
        """The index terms a search by ``user`` keeps."""
        return self.root.keys(user)

    def visible_in_index(self, user, obj) -> bool:
        """The index's answer for one object: its acl meets the user's terms."""
        return bool(self.acl(obj) & self.terms(user))

    def signature(self) -> str:
        """A short digest of the rule's shape: it changes when the terms an object
        carries may change, so a search adapter can ask for its index to be rebuilt."""
        return hashlib.sha256(self.root.describe().encode()).hexdigest()[:12]

    def ids_query(self, user):
        """A SELECT of the ids of every object ``user`` may see (to filter inside SQL)."""
        return select(self.model.id).where(self.clause(user))

    def visible_ids(self, user, ids: Iterable[int]) -> set[int]:
        """Those of ``ids`` that ``user`` may see (one query)."""
        ids = list(ids)
        if not ids:
            return set()
        query = self.ids_query(user).where(self.model.id.in_(ids))
        return set(db.session.scalars(query))


def register_rule(app: Flask, kind: str, rule: Rule) -> None:
    """Make ``rule`` the one visibility rule of ``kind`` in ``app``."""
    rules = app.extensions.setdefault(_RULES_KEY, {})
    if kind in rules and rules[kind] is not rule:
        raise ValueError(f"a visibility rule for {kind!r} is already registered")
    rules[kind] = rule


def rule_for(kind: str) -> Rule:
    """The registered rule of ``kind`` in the current app; KeyError if none."""
    rule = current_app.extensions.get(_RULES_KEY, {}).get(kind)
    if rule is None:
        raise KeyError(f"no visibility rule registered for {kind!r}")
    return rule


def registered_rules() -> dict[str, Rule]:
    """Every registered rule of the current app, by kind."""
    return dict(current_app.extensions.get(_RULES_KEY, {}))


def rule_signature(kind: str) -> str:
    """The registered rule's ``signature()`` (a search adapter's ``acl_scheme``)."""
    return rule_for(kind).signature()
