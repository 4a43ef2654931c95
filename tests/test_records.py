"""Records (factcheck.records): frozen dataclasses with slots whose pickles are quick to make."""

from __future__ import annotations

import dataclasses
import pickle

import pytest

from factcheck.model.records import record


@record()
class One:
    value: str


@record(order=True)
class Three:
    key: str
    line: int = 1
    parts: tuple[str, ...] = ()


@pytest.mark.parametrize("value", [One("x"), Three("k", 3, ("a", "b")), Three("k")])
def test_a_record_comes_back_from_a_pickle_equal_and_frozen(value: object) -> None:
    copy = pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == value and type(copy) is type(value)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(copy, dataclasses.fields(copy)[0].name, "changed")


def test_records_keep_what_dataclass_gives() -> None:
    assert not hasattr(One("x"), "__dict__")  # slots
    assert Three("a", 2) < Three("b", 1)  # order
    assert [field.name for field in dataclasses.fields(Three)] == ["key", "line", "parts"]
