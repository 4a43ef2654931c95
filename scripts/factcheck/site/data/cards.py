"""The images shown when a page is shared (``og:image``, ``twitter:image``): one card per verdict, and one for the site.

Drawn at build time with Pillow and its built-in font, so nothing is fetched; the same
vocabulary and site name always give the same bytes.
"""

from __future__ import annotations

import io
import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ...model.vocabularies import Term

SIZE = (1200, 630)
FOLDER = "cards"


def card_name(verdict_id: str) -> str:
    """The site address of the card of ``verdict_id`` ("" for the site's own card)."""
    return f"{FOLDER}/{verdict_id or 'site'}.png"


def card(site_name: str, term: Term | None, tagline: str) -> bytes:
    """A 1200 x 630 PNG: the site's name, the verdict (or the tagline) in the verdict's colours."""
    # Imported here: a warm build takes the cards from the cache and never loads Pillow.
    from PIL import Image, ImageDraw, ImageFont

    colors = (term.colors or {}) if term else {}
    background = colors.get("light-bg", "#283593")
    foreground = colors.get("light-fg", "#ffffff")
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, SIZE[0], 24), fill=foreground)
    draw.text((72, 96), site_name, fill=foreground, font=ImageFont.load_default(size=48))
    if term is not None:
        draw.text((72, 230), "Verdict:", fill=foreground, font=ImageFont.load_default(size=64))
        draw.text((72, 310), term.label, fill=foreground, font=ImageFont.load_default(size=120))
    else:
        for index, line in enumerate(textwrap.wrap(tagline, 36)[:4]):
            draw.text((72, 230 + 90 * index), line, fill=foreground, font=ImageFont.load_default(size=72))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
