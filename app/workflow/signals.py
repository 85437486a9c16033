"""Signals of the review engine, for modules that follow published content (search, subscriptions).

- ``item_published(item)``: an item (or its live version after a revision) became public or scheduled.
- ``item_withdrawn(item)``: an item was unpublished or archived.
"""

from blinker import Namespace

_signals = Namespace()
item_published = _signals.signal("item-published")
item_withdrawn = _signals.signal("item-withdrawn")
