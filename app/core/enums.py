"""Labelled enums: states and statuses that carry their own translated label."""

from enum import StrEnum


class LabelledEnum(StrEnum):
    """A string enum whose members are written ``NAME = "value", _l("Label")``.

    ``Status.OPEN == "open"``, ``Status.OPEN.label`` is its label, ``Status.label_of("open")`` the label of a
    stored value and ``Status.labels()`` the ``{value: label}`` mapping that templates look statuses up in.
    """

    def __new__(cls, value, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self):
        return self._label

    @classmethod
    def label_of(cls, value):
        """The label of a value given as a string; an unknown value is shown as it is."""
        member = cls._value2member_map_.get(str(value))
        return member.label if member is not None else value

    @classmethod
    def labels(cls):
        return {member.value: member.label for member in cls}
