"""Giving the memory a build has freed back to the system, so that its peak stays near what it holds.

A page's HTML passes through several large strings (the template's output, the policy added to
it) that are freed once it is written. C's allocator keeps such freed blocks for itself, and
over a thousand pages of different sizes the process grew by a few kilobytes a page without
holding any more; glibc's ``malloc_trim`` returns them. Elsewhere (no glibc) ``trim`` does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

EVERY = 64  # pages between two trims: a trim takes about a millisecond


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        function: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c") or None).malloc_trim
    except (OSError, AttributeError):
        return None
    return function


def trim() -> None:
    """Return freed memory to the system, where the C library can."""
    function = _malloc_trim()
    if function is not None:
        function(0)
