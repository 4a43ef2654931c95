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

  // The page's text, with runs of white space folded to one space, and where each character came from.
  function pageText(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || /^(SCRIPT|STYLE|NOSCRIPT|TEMPLATE)$/.test(parent.nodeName)) return NodeFilter.FILTER_REJECT;
        if (parent.closest && parent.closest("#" + ID + ", .kap-factcheck-badge")) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var text = "", map = [], node, lastSpace = true;
    while ((node = walker.nextNode())) {
      var value = node.nodeValue;
      for (var i = 0; i < value.length; i++) {
        var space = /[\s\u00a0]/.test(value[i]);
        if (space && lastSpace) continue;
        text += space ? " " : value[i];
        map.push([node, i]);
        lastSpace = space;
      }
      if (/^(P|DIV|LI|H[1-6]|BLOCKQUOTE|TD|SECTION|ARTICLE)$/.test(node.parentNode.nodeName) && !lastSpace) {
        text += " ";
        map.push([node, value.length]);
        lastSpace = true;
      }
    }
    return { text: text, map: map };
  }

  function locate(page, selector) {
    var exact = normalized(selector.exact).trim();
    var prefix = normalized(selector.prefix || ""), suffix = normalized(selector.suffix || "");
    var found = [], start = page.text.indexOf(exact);
    while (start !== -1) {
      found.push(start);
      start = page.text.indexOf(exact, start + 1);
    }
    if (found.length > 1) {
      var scored = found.map(function (at) {
        var before = page.text.slice(Math.max(0, at - prefix.length), at);
        var after = page.text.slice(at + exact.length, at + exact.length + suffix.length);
        return { at: at, score: common(before, prefix, true) + common(after, suffix, false) };
      });
      scored.sort(function (a, b) { return b.score - a.score; });
      found = [scored[0].at];
    }
    return found.length ? { start: found[0], end: found[0] + exact.length } : null;
  }

  function common(a, b, fromEnd) {
    var n = 0;
    while (n < a.length && n < b.length && (fromEnd ? a[a.length - 1 - n] === b[b.length - 1 - n] : a[n] === b[n])) n++;
    return n;
  }

  function highlight(page, place, annotation, verdict, link) {
    var colors = COLORS[verdict] || { bg: "#ffff00", fg: "#000000" };
    var pieces = [];
    for (var i = place.start; i < place.end; i++) {
      var entry = page.map[i], last = pieces[pieces.length - 1];
      if (last && last.node === entry[0]) last.end = entry[1] + 1;
      else pieces.push({ node: entry[0], start: entry[1], end: entry[1] + 1 });
    }
    var marks = [];
    pieces.forEach(function (piece) {
      var node = piece.node;
      if (piece.end > node.nodeValue.length) piece.end = node.nodeValue.length;
      if (piece.start >= piece.end) return;
      var middle = node.splitText(piece.start);
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
      var place = selector && locate(pageText(document.body), selector);
      if (place && highlight(pageText(document.body), place, info, verdict, page.id)) found++;
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
