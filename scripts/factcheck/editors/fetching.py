"""Getting JSON over HTTP with the standard library alone: a timeout, retries and a clear error for each failure.

Three kinds of failure are kept apart because an editor does different things
about them: the service could not be reached (``Unreachable``: try again
later, or raise ``--timeout``), it has no such record (``NotFound``: check the
identifier), or it answered something this tool cannot read (``BadResponse``:
add the reference by hand).
"""

from __future__ import annotations

import email.utils
import http.client
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

USER_AGENT = "kap-factcheck/0.1 (reference tool scripts/add_reference.py of the KAP fact-check site)"
TIMEOUT = 10.0  # seconds, for each attempt
RETRIES = 2  # after the first attempt
BACKOFF = 0.5  # seconds before the first retry; doubled before each further one
MAX_RETRY_AFTER = 30.0  # a 429's Retry-After is honoured up to this many seconds
MAX_BYTES = 5_000_000  # one work's metadata is a few kilobytes; anything this big is not an answer


class FetchError(Exception):
    """A request that gave no usable answer. ``exit_code`` is what the command line returns for it."""

    exit_code = 1


class Unreachable(FetchError):
    """Timeouts, refused connections, 5xx and 429 answers, still failing after every retry."""

    exit_code = 2


class NotFound(FetchError):
    """The service answered, and has no such record."""


class BadResponse(FetchError):
    """The service answered something other than the documented JSON."""


@dataclass(frozen=True)
class Fetcher:
    """Asks Crossref and PubMed over HTTPS for JSON, with a timeout, and retries that back off (as a Retry-After asks)."""

    timeout: float = TIMEOUT
    retries: int = RETRIES
    # Read when a Fetcher is made, not when this module is imported, so tests can shorten it.
    backoff: float = field(default_factory=lambda: BACKOFF)
    user_agent: str = USER_AGENT

    def get_json(self, url: str, not_found: str) -> object:
        """The JSON at ``url``. A 404 raises ``NotFound`` with the message ``not_found``."""
        host = urllib.parse.urlsplit(url).netloc
        attempts = self.retries + 1
        reason = ""
        asked: float | None = None  # the last answer's Retry-After
        for attempt in range(attempts):
            if attempt:
                time.sleep(self._delay(attempt, asked))
            try:
                status, data, asked = self._get(url)
            except (OSError, http.client.HTTPException) as exc:  # timeouts and lost connections
                reason, asked = _network_reason(exc), None
                continue
            if status == 200:
                return _decode(data, host, url)
            if status == 404:
                raise NotFound(f"{not_found} (HTTP 404 from {url})")
            reason = f"HTTP {status} {http.client.responses.get(status, '')}".rstrip()
            if status != 429 and status < 500:
                raise BadResponse(f"{host} refused the request with {reason} ({url})")
        raise Unreachable(f"could not reach {host} after {attempts} attempts: {reason}; check your connection or use --timeout")

    def _delay(self, attempt: int, asked: float | None) -> float:
        delay = self.backoff * 2 ** (attempt - 1)
        if asked is not None:  # the server said how long to wait: never less, and not for ever
            delay = max(delay, min(asked, MAX_RETRY_AFTER))
        return delay

    def _get(self, url: str) -> tuple[int, bytes, float | None]:
        request = urllib.request.Request(url, headers={"User-Agent": self.user_agent, "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, response.read(MAX_BYTES + 1), None
        except urllib.error.HTTPError as exc:
            with exc:  # the error holds the open response; closing it frees the socket
                return exc.code, b"", _retry_after(exc.headers.get("Retry-After"))


def _network_reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        exc = exc.reason
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: either a number or an HTTP date (RFC 9110, 10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _decode(data: bytes, host: str, url: str) -> object:
    if len(data) > MAX_BYTES:
        raise BadResponse(f"{host} sent more than {MAX_BYTES // 1_000_000} MB for one record ({url})")
    try:
        return json.loads(data)
    except ValueError as exc:
        raise BadResponse(f"{host} sent an answer that is not JSON ({url}): {exc}") from None
