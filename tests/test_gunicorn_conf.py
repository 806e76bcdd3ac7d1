"""The gunicorn settings' worker hook, called as gunicorn calls it."""

import gc
import weakref

import pytest

from pen import gunicorn_conf


@pytest.fixture
def collector_restored():
    """The test process's collector as it was, after the test."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


class Node:
    """An object that can be part of a reference cycle."""


def test_a_worker_freezes_what_it_loaded_and_still_collects_later_garbage(collector_restored):
    loaded = Node()  # stands for the app a worker has loaded before the hook
    gunicorn_conf.post_worker_init(worker=None)
    assert not any(seen is loaded for seen in gc.get_objects())  # out of the collector's sight
    assert gc.get_threshold()[0] == gunicorn_conf.GC_YOUNG_THRESHOLD
    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle made by a later request
    gone = weakref.ref(first)
    del first, second
    gc.collect()
    assert gone() is None
