"""``stylesheets/verdicts.css``: everything the pages style per verdict, generated from the vocabulary.

Adding a verdict to vocabularies.yml gives it its colours in both schemes, its highlight, badge,
chart and card colours, and its entry in the claims index's filter, with no CSS to write.
"""

from __future__ import annotations

from ...model.vocabularies import COLOR_KEYS, Vocabularies

FILE = "stylesheets/verdicts.css"


def verdicts_css(vocab: Vocabularies) -> str:
    light, dark, classes, filters = [], [], [], []
    for term in vocab.verdict.terms:
        colors = term.colors or {}
        missing = [key for key in COLOR_KEYS if key not in colors]
        if missing:
            raise ValueError(f"vocabularies.yml: verdict '{term.id}' has no colors {', '.join(missing)}")
        light.append(f"  --fc-{term.id}-bg: {colors['light-bg']}; --fc-{term.id}-fg: {colors['light-fg']};")
        dark.append(f"  --fc-{term.id}-bg: {colors['dark-bg']}; --fc-{term.id}-fg: {colors['dark-fg']};")
        classes.append(f".fc-verdict--{term.id} {{ --fc-bg: var(--fc-{term.id}-bg); --fc-fg: var(--fc-{term.id}-fg); }}")
        filters.append(f'.md-typeset:has(#fc-filter-{term.id}:checked) .fc-index tbody tr:not([data-verdict="{term.id}"]) {{ display: none; }}')
    return "\n".join([
        "/* Generated from scripts/factcheck/model/vocabularies.yml by the build: do not edit. */",
        ":root {", *light, "}",
        '[data-md-color-scheme="slate"] {', *dark, "}",
        *classes,
        "/* The claims index's filter by verdict (radio buttons, no script). */",
        *filters,
        "",
    ])
