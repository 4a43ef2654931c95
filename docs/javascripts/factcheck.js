// The fact-check pages' few behaviours that CSS cannot do. Everything works without this file
// except remembering the reading mode and the search results.
(function () {
  "use strict";

  // -- Previews --------------------------------------------------------------------------------
  // They open on hover and on focus (CSS) and stay open while the pointer is on them (WCAG 1.4.13).
  // Escape closes the one that is open. On a touch screen a tap opens a highlight's preview, and
  // its "Read the fact-check" link (or a second tap) follows it.
  var touch = false;
  document.addEventListener("pointerdown", function (event) { touch = event.pointerType === "touch"; }, { passive: true, capture: true });

  function closeAll(except) {
    document.querySelectorAll(".fc-tipwrap--open").forEach(function (wrap) {
      if (wrap !== except) wrap.classList.remove("fc-tipwrap--open");
    });
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".fc-tipwrap > a");
    if (!link) {
      if (!(event.target.closest && event.target.closest(".fc-tip"))) closeAll(null);
      return;
    }
    var wrap = link.parentNode;
    if (touch && !wrap.classList.contains("fc-tipwrap--open")) {
      event.preventDefault();
      closeAll(wrap);
      wrap.classList.add("fc-tipwrap--open");
      place(wrap);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    closeAll(null);
    document.querySelectorAll(".fc-tipwrap").forEach(function (wrap) { wrap.classList.add("fc-tipwrap--dismissed"); });
  });
  function undismiss() {
    document.querySelectorAll(".fc-tipwrap--dismissed").forEach(function (wrap) { wrap.classList.remove("fc-tipwrap--dismissed"); });
  }
  document.addEventListener("pointermove", undismiss, { passive: true });
  document.addEventListener("focusin", undismiss);

  // A preview opens below its link, from the link's left edge; near the right edge of the window it
  // would run out of it, so it is moved left by as much as it overflows (CSS cannot know by how much).
  var MARGIN = 8;
  function place(wrap) {
    var tip = wrap && wrap.querySelector(":scope > .fc-tip");
    if (!tip) return;
    tip.style.left = "";
    var box = tip.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var shift = Math.max(0, box.right - (width - MARGIN));
    shift = Math.min(shift, Math.max(0, box.left - MARGIN));
    if (shift > 0) tip.style.left = -shift + "px";
  }
  function placeFromEvent(event) {
    place(event.target.closest && event.target.closest(".fc-tipwrap"));
  }
  document.addEventListener("mouseover", placeFromEvent, { passive: true });
  document.addEventListener("focusin", placeFromEvent);

  // -- Reading mode ------------------------------------------------------------------------------
  // The article with our verdicts, or as plain text: radio buttons and CSS; the choice is remembered.
  var KEY = "fc-reading-mode";
  var remembered = null;
  try { remembered = window.localStorage.getItem(KEY); } catch (error) { remembered = null; }
  var choice = remembered && document.getElementById("fc-mode-" + remembered);
  if (choice) choice.checked = true;
  document.addEventListener("change", function (event) {
    if (event.target.name !== "fc-mode") return;
    try { window.localStorage.setItem(KEY, event.target.value); } catch (error) { /* private mode: not remembered */ }
  });

  // -- Search ---------------------------------------------------------------------------------
  // Only on the search page. The index (site/search.py) is split into small files: a query fetches
  // the postings of its words' first two letters, the pages with a chosen verdict, certainty or
  // article, and the few pages it shows, and nothing else.
  var results = document.getElementById("fc-search-results");
  if (!results) return;
  var input = document.getElementById("fc-search-input");
  var status = document.getElementById("fc-search-status");
  var form = input.form;
  var fields = ["verdict", "certainty", "article"];
  var selects = fields.map(function (name) { return document.getElementById("fc-search-" + name); });
  var index = new URL(results.getAttribute("data-index"), document.baseURI);
  var root = new URL("../", index);
  var STOPWORDS = ("a an and are as at be but by for from has have in is it its not of on or our that the their these this " +
    "to was we were which while with").split(" ");
  var files = {};

  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, index)).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      });
    }
    return files[path];
  }

  function words(text) {
    var folded = text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    return (folded.match(/[a-z0-9]+/g) || []).filter(function (word) { return word.length > 1 && STOPWORDS.indexOf(word) < 0; });
  }

  // The pages holding a word that starts with ``term``, with the weight of the best such word.
  function postings(term) {
    return get("t/" + term.slice(0, 2) + ".json").then(function (shard) {
      var found = {};
      Object.keys(shard || {}).forEach(function (word) {
        if (word.lastIndexOf(term, 0) !== 0) return;
        shard[word].forEach(function (pair) { found[pair[0]] = Math.max(found[pair[0]] || 0, pair[1]); });
      });
      return found;
    });
  }

  function allowed(meta) {
    var chosen = selects.filter(function (select) { return select && select.value; });
    return Promise.all(chosen.map(function (select) {
      var slug = (meta.filters[select.name] || {})[select.value];
      return slug ? get("f/" + select.name + "/" + slug + ".json") : Promise.resolve([]);
    })).then(function (lists) {
      if (!lists.length) return null;
      return lists.reduce(function (set, list) {
        var next = {};
        (list || []).forEach(function (page) { if (!set || set[page]) next[page] = true; });
        return next;
      }, null);
    });
  }

  // The excerpt as text, with the query's words marked: built from text nodes, never as HTML.
  function excerpt(text, terms) {
    var fragment = document.createDocumentFragment();
    text.split(/(\s+)/).forEach(function (part) {
      var word = words(part)[0];
      var hit = word && terms.some(function (term) { return word.lastIndexOf(term, 0) === 0; });
      if (hit) {
        var mark = document.createElement("mark");
        mark.textContent = part;
        fragment.appendChild(mark);
      } else fragment.appendChild(document.createTextNode(part));
    });
    return fragment;
  }

  var serial = 0;
  function run() {
    var terms = words(input.value);
    var filtered = selects.some(function (select) { return select && select.value; });
    var number = ++serial;
    if (!terms.length && !filtered) {
      results.textContent = "";
      status.textContent = "";
      return;
    }
    status.textContent = "Searching…";
    var started = performance.now();
    get("meta.json").then(function (meta) {
      return Promise.all([allowed(meta), Promise.all(terms.map(postings))]).then(function (found) {
        var filter = found[0], lists = found[1], scores = {};
        if (lists.length) {
          Object.keys(lists[0]).forEach(function (page) {
            if (lists.every(function (list) { return page in list; })) {
              scores[page] = lists.reduce(function (sum, list) { return sum + list[page]; }, 0);
            }
          });
        } else {
          Object.keys(filter || {}).forEach(function (page) { scores[page] = 1; });
        }
        var pages = Object.keys(scores).filter(function (page) { return !filter || filter[page]; }).map(Number);
        pages.sort(function (a, b) { return scores[b] - scores[a] || a - b; });
        var shown = pages.slice(0, 20);
        return Promise.all(shown.map(function (page) { return get("d/" + Math.floor(page / meta.shard) + ".json"); }))
          .then(function (shards) {
            if (number !== serial) return;
            results.textContent = "";
            shown.forEach(function (page, i) {
              var doc = shards[i][page % meta.shard];
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = new URL(doc.u, root).href;
              link.textContent = doc.t;
              var text = document.createElement("p");
              text.appendChild(excerpt(doc.x, terms));
              item.appendChild(link);
              item.appendChild(text);
              results.appendChild(item);
            });
            var count = pages.length;
            status.textContent = (count ? count + (count === 1 ? " result" : " results") + (count > 20 ? " (the first 20 shown)" : "") : "No results") +
              ".";
            results.setAttribute("data-elapsed", String(Math.round(performance.now() - started)));
          });
      });
    }).catch(function (error) {
      if (number === serial) status.textContent = "Search is not available (" + error.message + "). Every claim is listed on All claims.";
    });
  }

  var timer = null;
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(run, 120); });
  selects.forEach(function (select) { if (select) select.addEventListener("change", run); });
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var params = new URLSearchParams(window.location.search);
  if (params.get("q")) input.value = params.get("q");
  selects.forEach(function (select) { if (select && params.get(select.name)) select.value = params.get(select.name); });
  if (input.value || params.toString()) run();
})();
