/* The static documentation site's script: the sidebar tree, permalinks, search, diagrams.
 *
 * A classic script (no module, no fetch): pages are opened from file:// as well as
 * from a web host, and a browser refuses modules and fetch over file://.  The
 * table of contents (assets/toc.js) and the search index (assets/search-index.js)
 * are scripts that set a global; the index is loaded on first use of the search box.
 * Diagrams are drawn by the library's classic script (window.mermaid) on the pages
 * that load it; without it they stay as their source.
 * Text from the repository is only ever set as textContent.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var current = document.body.getAttribute("data-page");

  function pageFile(slug) {
    return slug + ".html";
  }

  function anchorHref(slug, anchor) {
    return pageFile(slug) + "#" + encodeURI(anchor).replace(/#/g, "%23");
  }

  function element(tag, attributes, text) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      node.setAttribute(name, attributes[name]);
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* --- the sidebar: the tree of pages, the current one shown and highlighted --- */

  function buildSidebar() {
    var toc = window.DOCSGEN_TOC;
    var sidebar = document.getElementById("docsgen-sidebar");
    if (!toc || !sidebar) return;
    var pages = toc.pages;
    var children = {};
    var position = {};
    toc.order.forEach(function (i) {
      var parent = pages[i][2];
      (children[parent] = children[parent] || []).push(i);
      position[pages[i][0]] = i;
    });
    var open = {};
    for (var at = position[current]; at !== undefined && at >= 0 && !open[at]; at = pages[at][2]) {
      open[at] = true;
    }

    function link(i) {
      var attributes = { href: pageFile(pages[i][0]) };
      if (pages[i][0] === current) attributes["aria-current"] = "page";
      return element("a", attributes, pages[i][1]);
    }

    function list(parent) {
      var ul = element("ul");
      (children[parent] || []).forEach(function (i) {
        var li = element("li");
        if (children[i]) {
          var details = element("details", open[i] ? { open: "" } : {});
          var summary = element("summary");
          summary.appendChild(link(i));
          details.appendChild(summary);
          details.appendChild(list(i));
          li.appendChild(details);
        } else {
          li.appendChild(link(i));
        }
        ul.appendChild(li);
      });
      return ul;
    }

    sidebar.textContent = "";
    sidebar.appendChild(list(-1));
    var here = sidebar.querySelector('[aria-current="page"]');
    if (here) here.scrollIntoView({ block: "nearest" });

    var button = document.querySelector(".menu-button");
    if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var opened = sidebar.classList.toggle("open");
        button.setAttribute("aria-expanded", String(opened));
      });
    }
  }

  /* --- permalinks: every heading with an id links to itself --- */

  function addPermalinks() {
    var headings = document.querySelectorAll(".docs :is(h1, h2, h3, h4, h5, h6)[id]");
    Array.prototype.forEach.call(headings, function (heading) {
      // Its "#" is drawn by the style sheet: the heading's text and name stay the symbol's.
      var link = element("a", {
        class: "permalink",
        href: "#" + encodeURI(heading.id).replace(/#/g, "%23"),
        title: "Link to this section (a click copies the address)",
        "aria-hidden": "true",
        tabindex: "-1",
      });
      link.addEventListener("click", function () {
        var url = location.href.split("#")[0] + link.getAttribute("href");
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(url).then(function () {
            link.classList.add("copied");
            setTimeout(function () { link.classList.remove("copied"); }, 1500);
          }, function () { /* the address bar shows the link anyway */ });
        }
      });
      heading.appendChild(link);
    });
  }

  /* --- search: the prebuilt index, ranked as the service ranks: exact name first --- */

  var input = document.getElementById("docsgen-search");
  var box = document.getElementById("docsgen-search-results");
  var entries = null; // [{name, lower, last, kind, page, summary, citation, href}]
  var loading = false;
  var active = -1;

  function lastPart(lower) {
    var cut = Math.max(lower.lastIndexOf("."), lower.lastIndexOf(":"), lower.lastIndexOf("/"));
    return lower.slice(cut + 1);
  }

  function prepare(index) {
    var list = [];
    index.symbols.forEach(function (s) {
      var page = index.pages[s[1]];
      var lower = s[0].toLowerCase();
      list.push({
        name: s[0], lower: lower, last: lastPart(lower), kind: s[2], summary: s[3] || "",
        citation: s[4], where: page[1], href: anchorHref(page[0], s[0]),
      });
    });
    index.pages.forEach(function (p) {
      var lower = p[1].toLowerCase();
      list.push({
        name: p[1], lower: lower, last: lower, kind: "page", summary: "", citation: null,
        where: "", href: pageFile(p[0]),
      });
    });
    return list;
  }

  function loadIndex() {
    if (entries || loading) return;
    if (window.DOCSGEN_SEARCH) {
      entries = prepare(window.DOCSGEN_SEARCH);
      return;
    }
    loading = true;
    var script = element("script", { src: "assets/search-index.js" });
    script.addEventListener("load", function () {
      loading = false;
      entries = prepare(window.DOCSGEN_SEARCH || { pages: [], symbols: [] });
      if (input.value.trim()) search();
    });
    script.addEventListener("error", function () {
      loading = false;
      showMessage("The search index (assets/search-index.js) could not be loaded.");
    });
    document.head.appendChild(script);
  }

  function rank(entry, query, terms) {
    if (entry.lower === query || entry.last === query) return 0;
    if (entry.last.indexOf(query) === 0) return 1;
    if (entry.lower.indexOf(query) === 0) return 2;
    if (entry.lower.indexOf(query) >= 0) return 3;
    if (terms.length > 1) {
      var inName = terms.every(function (t) { return entry.lower.indexOf(t) >= 0; });
      var lastTerm = terms[terms.length - 1];
      if (inName && entry.last === lastTerm) return 3.5;
      if (inName) return entry.last.indexOf(lastTerm) === 0 ? 3.7 : 4;
      var text = entry.lower + " " + entry.summary.toLowerCase() + " " + entry.where.toLowerCase();
      if (terms.every(function (t) { return text.indexOf(t) >= 0; })) return 5;
    }
    return -1;
  }

  function find(query) {
    // "Flask.route" also finds flask.sansio.scaffold.Scaffold.route: every part, anywhere.
    var terms = query.split(/[\s.:#\/]+/).filter(Boolean);
    var found = [];
    entries.forEach(function (entry) {
      var score = rank(entry, query, terms);
      if (score >= 0) found.push([score, entry]);
    });
    found.sort(function (a, b) {
      return a[0] - b[0] || a[1].name.length - b[1].name.length ||
        (a[1].name < b[1].name ? -1 : a[1].name > b[1].name ? 1 : 0);
    });
    return found.slice(0, MAX_RESULTS).map(function (f) { return f[1]; });
  }

  function open(shown) {
    box.hidden = !shown;
    input.setAttribute("aria-expanded", String(shown));
  }

  function showMessage(text) {
    box.textContent = "";
    box.appendChild(element("div", { class: "search-empty" }, text));
    open(true);
  }

  function select(i) {
    var options = box.querySelectorAll(".search-result");
    if (!options.length) return;
    active = (i + options.length) % options.length;
    Array.prototype.forEach.call(options, function (option, n) {
      option.setAttribute("aria-selected", String(n === active));
    });
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function search() {
    var query = input.value.trim().toLowerCase();
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!query) { box.textContent = ""; open(false); return; }
    if (!entries) { loadIndex(); if (!entries) { showMessage("Loading the search index…"); return; } }
    var results = find(query);
    if (!results.length) { showMessage("Nothing found for “" + input.value.trim() + "”."); return; }
    box.textContent = "";
    results.forEach(function (r, n) {
      var option = element("a", {
        class: "search-result", role: "option", id: "docsgen-result-" + n,
        href: r.href, "aria-selected": "false",
      });
      option.appendChild(element("span", { class: "result-name" }, r.name));
      option.appendChild(element("span", { class: "result-kind" }, r.kind));
      var where = r.where ? "in " + r.where : "page";
      if (r.citation) where += " · " + r.citation;
      option.appendChild(element("span", { class: "result-where" }, where));
      if (r.summary) option.appendChild(element("span", { class: "result-summary" }, r.summary));
      option.addEventListener("click", close);
      box.appendChild(option);
    });
    open(true);
    select(0);
  }

  function close() {
    open(false);
    active = -1;
    input.removeAttribute("aria-activedescendant");
  }

  function go() {
    var options = box.querySelectorAll(".search-result");
    var target = options[active >= 0 ? active : 0];
    if (!target) return;
    close();
    input.blur();
    location.href = target.getAttribute("href");
  }

  function setUpSearch() {
    if (!input || !box) return;
    input.closest(".search").hidden = false;
    input.addEventListener("focus", loadIndex);
    input.addEventListener("input", search);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); select(active + 1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); select(active - 1); }
      else if (event.key === "Enter") { event.preventDefault(); go(); }
      else if (event.key === "Escape") { close(); input.blur(); }
    });
    box.addEventListener("mousedown", function (event) { event.preventDefault(); });
    input.addEventListener("blur", function () {
      setTimeout(function () { if (document.activeElement !== input) open(false); }, 150);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      input.focus();
      input.select();
    });
  }

  /* --- diagrams: Mermaid's source drawn as SVG, the source kept below it --- */

  /* The library's SVG, parsed inert and stripped of anything active. */
  function inertSvg(svgText) {
    var template = document.createElement("template");
    template.innerHTML = svgText;
    template.content.querySelectorAll("*").forEach(function (el) {
      if (el.localName === "script" || el.localName === "iframe") {
        el.remove();
        return;
      }
      Array.prototype.slice.call(el.attributes).forEach(function (attr) {
        var name = attr.name.toLowerCase();
        if (name.indexOf("on") === 0) el.removeAttribute(attr.name);
        if ((name === "href" || name === "xlink:href") && !/^(#|https?:)/i.test(attr.value.trim())) {
          el.removeAttribute(attr.name);
        }
      });
    });
    return template.content;
  }

  function drawDiagrams() {
    var mermaid = window.mermaid;
    var sources = document.querySelectorAll("article.docs pre > code.language-mermaid");
    if (!mermaid || !sources.length) return;
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      theme: "neutral",
      suppressErrorRendering: true,
      fontFamily: "inherit",
    });
    Array.prototype.forEach.call(sources, function (code, index) {
      var pre = code.parentElement;
      var figure = element("figure", { class: "diagram", "data-diagram": "pending" });
      pre.replaceWith(figure);
      figure.append(pre);
      mermaid.render("docsgen-diagram-" + (index + 1), code.textContent).then(
        function (result) {
          var drawing = element("div", { class: "diagram-svg" });
          drawing.append(inertSvg(result.svg));
          var details = element("details", { class: "diagram-source" });
          details.append(element("summary", {}, "Diagram source"));
          pre.replaceWith(drawing);
          details.append(pre);
          figure.append(details);
          figure.setAttribute("data-diagram", "drawn");
        },
        function (error) {
          var message = String((error && error.message) || error).split("\n")[0];
          figure.append(element("figcaption", { class: "diagram-note" },
            "This diagram could not be drawn: " + message));
          figure.setAttribute("data-diagram", "error");
        }
      );
    });
  }

  buildSidebar();
  addPermalinks();
  setUpSearch();
  drawDiagrams();
})();
