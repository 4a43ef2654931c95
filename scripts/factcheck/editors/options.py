"""The command-line options of the tools that ask Crossref and PubMed (add_reference.py, watch_literature.py).

``--timeout`` (bounded, so no answer is awaited for ever) and the services' addresses, which
tests point at a local fake and which may come from the environment.
"""

from __future__ import annotations

import argparse
import os
import urllib.parse

from . import fetching, metadata

CROSSREF_ENV = "FACTCHECK_CROSSREF_URL"
EUTILS_ENV = "FACTCHECK_EUTILS_URL"
MAX_TIMEOUT = 600.0


def seconds(text: str) -> float:
    """A --timeout: more than 0 and at most MAX_TIMEOUT seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not 0 < value <= MAX_TIMEOUT:  # also refuses inf and nan, which the socket layer cannot take
        raise argparse.ArgumentTypeError(f"the timeout must be more than 0 and at most {MAX_TIMEOUT:g} seconds")
    return value


def is_base_url(url: str) -> bool:
    """True for an absolute http(s) address with a host, a valid port and nothing unprintable."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(char.isspace() or not char.isprintable() for char in url)


def add(parser: argparse.ArgumentParser) -> None:
    """Add --timeout, --crossref-url and --eutils-url to ``parser``."""
    parser.add_argument("--timeout", type=seconds, default=fetching.TIMEOUT, help=f"seconds to wait for each answer (default: {fetching.TIMEOUT:g})")
    parser.add_argument("--crossref-url", default=os.environ.get(CROSSREF_ENV) or metadata.CROSSREF_URL,
                        help=f"Crossref's API (default: ${CROSSREF_ENV} or {metadata.CROSSREF_URL})")
    parser.add_argument("--eutils-url", default=os.environ.get(EUTILS_ENV) or metadata.EUTILS_URL,
                        help=f"NCBI's E-utilities (default: ${EUTILS_ENV} or {metadata.EUTILS_URL})")


def check(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse (through ``parser.error``) a service address that is not an http(s) URL."""
    for option, url in (("--crossref-url", args.crossref_url), ("--eutils-url", args.eutils_url)):
        if not is_base_url(url):
            parser.error(f"{option} '{url}' is not an http: or https: URL")
