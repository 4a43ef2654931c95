"""What every rule may look at: the loaded site, the vocabularies, today's date and the cache."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ...model.content import Project
from ...model.vocabularies import Vocabularies
from ...reading.cache import Cache
from ...reading.loading import Loaded


@dataclass(frozen=True)
class Context:
    """The inputs of one check. ``cache`` keeps what a rule computed from one file's bytes for the next run."""

    loaded: Loaded
    vocab: Vocabularies
    today: datetime.date
    cache: Cache

    @property
    def project(self) -> Project:
        return self.loaded.project
