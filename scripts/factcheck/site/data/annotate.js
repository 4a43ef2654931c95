// Our verdicts on the original article's page: run as a bookmarklet or a userscript on that page.
// It fetches this site's annotations (and nothing else), finds each checked sentence by its words
// (spaces and line breaks may differ from our copy), and highlights it with its verdict and a link
// to the fact-check. Claims whose words are no longer on the page are listed as not found.
// The build fills in ANNOTATIONS (the site's annotations.jsonld) and COLORS (from vocabularies.yml).
(function () {
  "use strict";
  var ANNOTATIONS = "__ANNOTATIONS__";
  var COLORS = __COLORS__;
  var ID = "kap-factcheck-verdicts";
  if (document.getElementById(ID)) return;

  function normalized(text) {
    return text.replace(/[\s\u00a0]+/g, " ");
  }

  var BLOCKS = "p,div,li,dd,dt,h1,h2,h3,h4,h5,h6,blockquote,td,th,section,article,header,footer,main,aside,figcaption,pre,body";

  // The page's text as a reader sees it: runs of white space folded to one space, a space between
  // blocks and at line breaks. ``map`` says which text node and offset each character came from
  // (null for a space that stands for a boundary); ``nodes`` lists the text nodes in order.
  function pageText(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode: function (node) {
        if (node.nodeType !== 1) return NodeFilter.FILTER_ACCEPT;
        // Scripts and styles are not text, and neither is what this script added.
        if (/^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(node.nodeName) || node.id === ID ||
            node.classList.contains("kap-factcheck-badge")) return NodeFilter.FILTER_REJECT;
        return node.nodeName === "BR" ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      }
    });
    var text = "", map = [], nodes = [], node, lastSpace = true, lastBlock = null;
    function boundary() {
      if (!lastSpace) { text += " "; map.push(null); lastSpace = true; }
    }
    while ((node = walker.nextNode())) {
      if (node.nodeType === 1) { boundary(); continue; }
      var block = node.parentNode.closest(BLOCKS);
      if (block !== lastBlock) boundary();
      lastBlock = block;
      nodes.push(node);
      var value = node.nodeValue;
      for (var i = 0; i < value.length; i++) {
        var space = /[\s\u00a0]/.test(value[i]);
        if (space && lastSpace) continue;
        text += space ? " " : value[i];
        map.push([node, i]);
        lastSpace = space;
      }
    }
    return { text: text, map: map, nodes: nodes };
  }

  // The quote where its context (the words before and after it) agrees best. A quote found with
  // less than half of its context is another use of the same words, not the sentence we checked.
  function locate(page, selector) {
    var exact = normalized(selector.exact).trim();
    var prefix = normalized(selector.prefix || ""), suffix = normalized(selector.suffix || "");
    var best = -1, bestScore = -1, at = page.text.indexOf(exact);
    while (at !== -1) {
      var before = page.text.slice(Math.max(0, at - prefix.length), at);
      var after = page.text.slice(at + exact.length, at + exact.length + suffix.length);
      var score = common(before, prefix, true) + common(after, suffix, false);
      if (score > bestScore) { best = at; bestScore = score; }
      at = page.text.indexOf(exact, at + 1);
    }
    if (best === -1 || bestScore * 2 < prefix.length + suffix.length) return null;
    return { start: best, end: best + exact.length };
  }

  function common(a, b, fromEnd) {
    var n = 0;
    while (n < a.length && n < b.length && (fromEnd ? a[a.length - 1 - n] === b[b.length - 1 - n] : a[n] === b[n])) n++;
    return n;
  }

  // Wraps the text from the place's first character to its last in <mark> elements, one per text
  // node, the white space between them included.
  function highlight(page, place, annotation, verdict, link) {
    var colors = COLORS[verdict] || { bg: "#ffff00", fg: "#000000" };
    var entries = page.map.slice(place.start, place.end).filter(function (entry) { return entry; });
    if (!entries.length) return false;
    var first = entries[0], last = entries[entries.length - 1];
    var pieces = [], inside = false;
    page.nodes.forEach(function (node) {
      if (node === first[0]) inside = true;
      if (!inside) return;
      pieces.push({ node: node, start: node === first[0] ? first[1] : 0,
                    end: node === last[0] ? last[1] + 1 : node.nodeValue.length });
      if (node === last[0]) inside = false;
    });
    var marks = [];
    pieces.forEach(function (piece) {
      if (piece.start >= piece.end) return;
      var middle = piece.node.splitText(piece.start);
      middle.splitText(piece.end - piece.start);
      var mark = document.createElement("mark");
      mark.style.background = colors.bg;
      mark.style.color = colors.fg;
      mark.title = annotation.label;
      middle.parentNode.insertBefore(mark, middle);
      mark.appendChild(middle);
      marks.push(mark);
    });
    if (!marks.length) return false;
    var badge = document.createElement("a");
    badge.href = link;
    badge.textContent = " [" + verdict + "] ";
    badge.title = annotation.label;
    badge.rel = "noopener noreferrer";
    badge.style.cssText = "font:bold 12px sans-serif;padding:0 4px;border-radius:3px;text-decoration:none";
    badge.style.background = colors.fg;
    badge.style.color = colors.bg;
    badge.className = "kap-factcheck-badge";
    var lastMark = marks[marks.length - 1];
    lastMark.parentNode.insertBefore(badge, lastMark.nextSibling);
    return true;
  }

  function panel(found, missing) {
    var box = document.createElement("aside");
    box.id = ID;
    box.setAttribute("role", "status");
    box.style.cssText = "position:fixed;right:12px;bottom:12px;z-index:2147483647;max-width:22rem;max-height:50vh;overflow:auto;" +
      "background:#fff;color:#111;border:2px solid #283593;border-radius:6px;padding:10px 12px;font:14px/1.4 sans-serif;box-shadow:0 2px 8px #0004";
    var title = document.createElement("strong");
    title.textContent = "KAP fact-check: " + found + " checked claims highlighted";
    box.appendChild(title);
    if (missing.length) {
      var note = document.createElement("p");
      note.textContent = missing.length + " not found on this page (the text may have changed):";
      box.appendChild(note);
      var list = document.createElement("ul");
      missing.forEach(function (item) {
        var li = document.createElement("li"), a = document.createElement("a");
        a.href = item.link;
        a.textContent = item.label;
        a.rel = "noopener noreferrer";
        li.appendChild(a);
        list.appendChild(li);
      });
      box.appendChild(list);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    document.body.appendChild(box);
    return box;
  }

  function run(collection) {
    var items = (collection.first && collection.first.items) || [];
    var found = 0, missing = [];
    items.forEach(function (annotation) {
      var body = annotation.body || [];
      var text = body.filter(function (b) { return b.type === "TextualBody"; })[0] || {};
      var page = body.filter(function (b) { return b.type === "Text"; })[0] || {};
      var verdict = String(text.value || "").split(":")[0];
      var info = { label: page.label || text.value || "", link: page.id };
      var selector = annotation.target && annotation.target.selector;
      // Read afresh for each claim: highlighting the one before split the page's text nodes.
      var pageNow = pageText(document.body);
      var place = selector && locate(pageNow, selector);
      if (place && highlight(pageNow, place, info, verdict, page.id)) found++;
      else missing.push(info);
    });
    window.__kapFactcheck = { found: found, missing: missing.length };
    panel(found, missing);
  }

  fetch(ANNOTATIONS, { credentials: "omit", referrerPolicy: "no-referrer", mode: "cors" })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    })
    .then(run)
    .catch(function (error) {
      window.__kapFactcheck = { error: String(error) };
      panel(0, []).querySelector("strong").textContent = "KAP fact-check: the verdicts could not be loaded (" + error + ")";
    });
})();
