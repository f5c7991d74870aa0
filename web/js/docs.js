// Showing generated documentation.  The HTML was rendered from Markdown and
// cleaned with an allowlist on the server; here it is parsed into an inert
// document (DOMParser runs no script and loads nothing), cleaned once more
// with the same allowlist, and only then moved into the page.  Diagrams are
// drawn by the vendored Mermaid in its strict mode, or left as their source.

import { h } from "./dom.js";

const WARNING_SIGN = "\u26A0\uFE0F";
const HEADINGS = ["H1", "H2", "H3", "H4", "H5", "H6"];
const ALLOWED = {
  A: ["href", "title"],
  BLOCKQUOTE: [], BR: [], CODE: ["class"], DEL: [], EM: [], HR: [], LI: [], OL: ["start"],
  P: [], PRE: [], STRONG: [], TABLE: [], TBODY: [], TD: ["style"], TH: ["style"],
  THEAD: [], TR: [], UL: [],
  ...Object.fromEntries(HEADINGS.map((tag) => [tag, ["id"]])),
};
// Elements whose content is not text to show.
const DROP_WITH_CONTENT = new Set(["SCRIPT", "STYLE", "TEMPLATE", "IFRAME", "OBJECT", "EMBED",
  "NOSCRIPT", "SVG", "MATH", "TEXTAREA", "SELECT", "HEAD", "TITLE", "META", "LINK", "BASE"]);
const OUTSIDE_URL = /^(https?:|mailto:)/i;
// A link between pages of the documentation: `{slug}#{anchor}`, `{slug}` or `#{anchor}`;
// no scheme, no leading slash (nothing that could leave the documentation).
const PAGE_LINK = /^(?:[\w][\w.~%\/-]*)?(?:#\S*)?$/;
const CITATION = /^[^\s:`]+:\d+$/;

/** Clean a node tree in place with the allowlist; unknown elements keep only their text. */
function clean(node) {
  for (const child of [...node.childNodes]) {
    if (child.nodeType === Node.TEXT_NODE) continue;
    if (child.nodeType !== Node.ELEMENT_NODE) {
      child.remove();
      continue;
    }
    const allowed = ALLOWED[child.tagName];
    if (!allowed) {
      if (DROP_WITH_CONTENT.has(child.tagName)) child.remove();
      else child.replaceWith(document.createTextNode(child.textContent));
      continue;
    }
    for (const attr of [...child.attributes]) {
      const name = attr.name.toLowerCase();
      const value = attr.value.trim();
      const ok =
        allowed.includes(name) &&
        !(name === "href" && !(OUTSIDE_URL.test(value) || PAGE_LINK.test(value))) &&
        !(name === "style" && !/^text-align:\s*(left|right|center)\s*;?$/i.test(value)) &&
        !(name === "class" && !/^language-[\w-]+$/.test(value));
      if (!ok) child.removeAttribute(attr.name);
    }
    clean(child);
  }
}

/** Parse server-cleaned HTML into clean, inert nodes ready to adopt. */
export function safeNodes(html) {
  const parsed = new DOMParser().parseFromString(html || "", "text/html");
  clean(parsed.body);
  return [...parsed.body.childNodes];
}

/**
 * One page of the documentation, cleaned, as a body of sections: one <section>
 * per "## " heading, what comes before it in an introduction.
 */
export function buildPage(html) {
  const body = h("div", { class: "doc-body" });
  let current = h("div", { class: "doc-intro" });
  body.append(current);
  for (const node of safeNodes(html)) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "H2") {
      current = h("section", { class: "doc-section", "aria-labelledby": node.id || null },
        h("div", { class: "doc-section-head" }, node));
      body.append(current);
      continue;
    }
    current.append(node);
  }
  decorate(body);
  return body;
}

/** Style warnings and citations; make outside links open safely in a new tab. */
function decorate(root) {
  for (const quote of root.querySelectorAll("blockquote")) {
    if (quote.textContent.trim().startsWith(WARNING_SIGN)) {
      quote.classList.add("callout-warning");
      quote.setAttribute("role", "note");
    }
  }
  for (const code of root.querySelectorAll("code")) {
    if (!code.closest("pre") && CITATION.test(code.textContent.trim())) code.classList.add("citation");
  }
  for (const link of root.querySelectorAll("a[href]")) {
    if (OUTSIDE_URL.test(link.getAttribute("href"))) {
      link.setAttribute("target", "_blank");
      link.setAttribute("rel", "noopener noreferrer nofollow");
    }
  }
  for (const code of root.querySelectorAll("pre > code.language-mermaid")) {
    const pre = code.parentElement;
    const figure = h("figure", { class: "diagram", "data-diagram": "pending" });
    pre.replaceWith(figure);
    figure.append(pre);
  }
}

let mermaidLoading = null;
let diagramCounter = 0;

function loadMermaid(url) {
  if (!mermaidLoading) {
    mermaidLoading = import(url).then((module) => {
      const mermaid = module.default;
      mermaid.initialize({
        startOnLoad: false,
        securityLevel: "strict",
        theme: "neutral",
        suppressErrorRendering: true,
        fontFamily: "inherit",
      });
      return mermaid;
    });
    mermaidLoading.catch(() => {
      mermaidLoading = null; // try again next time
    });
  }
  return mermaidLoading;
}

/** SVG from the diagram library, parsed inert and stripped of anything active. */
function inertSvg(svgText) {
  const template = document.createElement("template");
  template.innerHTML = svgText;
  for (const el of template.content.querySelectorAll("*")) {
    if (el.localName === "script" || el.localName === "iframe") {
      el.remove();
      continue;
    }
    for (const attr of [...el.attributes]) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on")) el.removeAttribute(attr.name);
      if ((name === "href" || name === "xlink:href") && !/^(#|https?:)/i.test(attr.value.trim())) {
        el.removeAttribute(attr.name);
      }
    }
  }
  return template.content;
}

/**
 * Draw every pending diagram under `root`.  Without the library (not fetched,
 * or failing to load) diagrams stay as source with a note; a diagram the
 * library rejects shows its source and the library's message.
 */
export async function drawDiagrams(root, mermaidUrl) {
  const figures = [...root.querySelectorAll('figure.diagram[data-diagram="pending"]')];
  if (!figures.length) return;
  const note = (figure, text, kind) => {
    figure.dataset.diagram = kind;
    figure.append(h("figcaption", { class: `diagram-note diagram-${kind}` }, text));
  };
  let mermaid = null;
  if (mermaidUrl) {
    try {
      mermaid = await loadMermaid(mermaidUrl);
    } catch {
      mermaid = null;
    }
  }
  if (!mermaid) {
    for (const figure of figures) {
      note(figure, "Diagram source: the diagram library is not available on this server.", "source");
    }
    return;
  }
  for (const figure of figures) {
    const source = figure.querySelector("code").textContent;
    try {
      const { svg } = await mermaid.render(`docsgen-diagram-${++diagramCounter}`, source);
      const pre = figure.querySelector("pre");
      const drawing = h("div", { class: "diagram-svg" });
      drawing.append(inertSvg(svg));
      const details = h("details", { class: "diagram-source" }, h("summary", {}, "Diagram source"));
      pre.replaceWith(drawing);
      details.append(pre);
      figure.append(details);
      figure.dataset.diagram = "drawn";
    } catch (error) {
      const message = (error && error.message ? error.message : String(error)).split("\n")[0];
      note(figure, `This diagram could not be drawn: ${message}`, "error");
    }
  }
}
