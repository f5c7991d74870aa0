// The documentation as a small site: a sidebar with the search box and the
// tree of pages, and beside it one page at a time with its previous and next.
// Every heading with an anchor has a copy-link control; a symbol's anchor is its
// qualified name.  The address of a page is /repositories/{id}/docs/{slug}, of a
// symbol the same with #{anchor}; links between pages navigate without a reload.

import * as api from "./api.js";
import { buildPage, drawDiagrams } from "./docs.js";
import { fill, h } from "./dom.js";
import { createPageTree, warningLabel } from "./pagetree.js";
import { createSearch } from "./search.js";

const OUTSIDE_URL = /^(https?:|mailto:)/i;
// Headings that get a copy-link control: a page's own title (h1) has the page's address.
const HEADING = "h2[id], h3[id], h4[id], h5[id], h6[id]";
const KEPT_PAGES = 8; // pages kept in memory for going back and forth

const encodeSlug = (slug) => slug.split("/").map(encodeURIComponent).join("/");

/** The browser address of a page, or of an anchor on it. */
export function pageAddress(repositoryId, slug, anchor) {
  return `/repositories/${repositoryId}/docs/${encodeSlug(slug)}${anchor ? `#${encodeURIComponent(anchor)}` : ""}`;
}

/** The anchor of the current address, decoded; "" if none. */
export function currentAnchor() {
  const raw = location.hash.slice(1);
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * mountReader({repositoryId, config, navigate, onError, onPage})
 *   -> {sidebar, content, setDocs(docs), show(slug, anchor), dispose()}
 *   navigate(href)  go to an address of the page (history and routing are the caller's)
 *   onError(error)  a failure the reader cannot explain (the session ended)
 *   onPage(page)    a page is shown (the caller names the browser tab)
 * show(null, anchor) shows the first page.
 */
export function mountReader({ repositoryId, config, navigate, onError, onPage }) {
  const address = (slug, anchor) => pageAddress(repositoryId, slug, anchor);
  const search = createSearch({ repositoryId, hrefOf: address, navigate, onError });
  const treeSlot = h("div", { class: "tree-slot" });
  const sidebar = h("aside", { class: "reader-sidebar", "aria-label": "Documentation pages and search" }, search.element, treeSlot);
  const trail = h("nav", { class: "page-trail", "aria-label": "Page parents" });
  const pageWarnings = h("p", { class: "page-warnings", hidden: true });
  const body = h("div", { class: "page-body" });
  const pager = h("nav", { class: "pager", "aria-label": "Previous and next page" });
  const announce = h("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
  const content = h("article", { class: "docs", "aria-label": "Documentation" }, trail, pageWarnings, body, pager, announce);

  let docsKey = null;
  let pages = [];
  let bySlug = new Map();
  let order = new Map(); // slug -> index in reading order
  let tree = null;
  let kept = new Map(); // slug -> page JSON, most recent last
  let shown = null; // the slug on screen
  let wanted = { slug: null, anchor: "" }; // asked for before the docs arrived
  let loads = 0;
  let disposed = false;

  function keep(page) {
    kept.delete(page.slug);
    kept.set(page.slug, page);
    while (kept.size > KEPT_PAGES) kept.delete(kept.keys().next().value);
  }

  const asked = new Map(); // slug -> the page's answer on its way

  function fetchPage(slug) {
    if (kept.has(slug)) {
      const page = kept.get(slug);
      keep(page);
      return Promise.resolve(page);
    }
    if (!asked.has(slug)) {
      // Revalidated with its ETag: a page read before costs a 304.
      const answer = api.get(`/api/repositories/${repositoryId}/docs/pages/${encodeSlug(slug)}`, { cache: "no-cache" })
        .then((page) => {
          keep(page);
          return page;
        })
        .finally(() => asked.delete(slug));
      asked.set(slug, answer);
    }
    return asked.get(slug);
  }

  function neighbour(page, name, step) {
    if (page[name] !== undefined) return page[name] && bySlug.has(page[name]) ? page[name] : null;
    const at = order.get(page.slug);
    const other = at === undefined ? undefined : pages[at + step];
    return other ? other.slug : null;
  }

  function renderPage(page) {
    shown = page.slug;
    const ancestors = [];
    for (let at = bySlug.get(bySlug.get(page.slug)?.parent); at && ancestors.length < pages.length; at = bySlug.get(at.parent)) {
      ancestors.unshift(at);
    }
    fill(trail, ancestors.map((p) => [h("a", { href: address(p.slug), "data-link": "" }, p.title), h("span", { "aria-hidden": "true" }, " / ")]));
    trail.hidden = !ancestors.length;
    const warnings = Number(page.warnings) || 0;
    pageWarnings.hidden = warnings === 0;
    fill(pageWarnings, warnings > 0
      ? [h("span", { "aria-hidden": "true" }, "\u26A0\uFE0F "), `${warningLabel(warnings)} on this page: what the generator could not prove is marked.`]
      : null);

    const built = buildPage(page.html);
    linkPages(built);
    addPermalinks(built, page.slug);
    fill(body, built);

    const prev = neighbour(page, "prev", -1);
    const next = neighbour(page, "next", 1);
    fill(pager,
      prev ? h("a", { class: "pager-prev", href: address(prev), "data-link": "", rel: "prev", "aria-label": `Previous: ${bySlug.get(prev).title}` },
        h("span", { class: "pager-label" }, "Previous"), h("span", { class: "pager-title" }, bySlug.get(prev).title)) : h("span"),
      next ? h("a", { class: "pager-next", href: address(next), "data-link": "", rel: "next", "aria-label": `Next: ${bySlug.get(next).title}` },
        h("span", { class: "pager-label" }, "Next"), h("span", { class: "pager-title" }, bySlug.get(next).title)) : h("span"));
    pager.hidden = !prev && !next;
    if (tree) tree.setCurrent(page.slug);
    content.removeAttribute("aria-busy");
    drawDiagrams(body, config.mermaid);
    if (onPage) onPage(page);
  }

  /** Links between pages become addresses of the page; a link to no page becomes its text. */
  function linkPages(root) {
    for (const link of root.querySelectorAll("a[href]")) {
      const href = link.getAttribute("href");
      if (OUTSIDE_URL.test(href) || href.startsWith("#")) continue;
      const hash = href.indexOf("#");
      let slug = hash < 0 ? href : href.slice(0, hash);
      let anchor = hash < 0 ? "" : href.slice(hash + 1);
      try {
        slug = decodeURIComponent(slug);
        anchor = decodeURIComponent(anchor);
      } catch {
        // not percent-encoded: taken as written
      }
      if (bySlug.has(slug)) {
        link.setAttribute("href", address(slug, anchor));
        link.setAttribute("data-link", "");
      } else {
        link.replaceWith(...link.childNodes);
      }
    }
  }

  function addPermalinks(root, slug) {
    for (const heading of root.querySelectorAll(HEADING)) {
      const permalink = h("a", {
        class: "permalink", href: address(slug, heading.id), title: "Copy link",
        "aria-label": `Copy link to ${heading.textContent.trim()}`,
        onclick: (event) => copyLink(event, permalink),
      }, "#");
      const head = heading.parentElement.classList.contains("doc-section-head") ? heading.parentElement : null;
      if (head) {
        head.append(permalink);
      } else {
        const row = h("div", { class: `heading-row heading-row-${heading.localName}` });
        heading.replaceWith(row);
        row.append(heading, permalink);
      }
    }
  }

  async function copyLink(event, permalink) {
    event.preventDefault();
    const url = new URL(permalink.getAttribute("href"), location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      announce.textContent = "Link copied";
      permalink.dataset.copied = "";
      setTimeout(() => delete permalink.dataset.copied, 1500);
    } catch {
      announce.textContent = `The link could not be copied; it is ${url}`;
    }
  }

  function scrollToAnchor(anchor) {
    const target = anchor ? body.querySelector(`#${CSS.escape(anchor)}`) : null;
    if (target) {
      target.scrollIntoView({ block: "start" });
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
      return true;
    }
    return false;
  }

  function scrollToTop() {
    const top = content.getBoundingClientRect().top;
    if (top < 0) window.scrollBy(0, top - 80);
  }

  function renderMissing(slug, message) {
    shown = null;
    if (tree) tree.setCurrent(null);
    fill(trail);
    pageWarnings.hidden = true;
    fill(body, h("div", { class: "page-missing" },
      h("h2", {}, message || "Page not found"),
      h("p", {}, `There is no page “${slug}” in this documentation. `,
        pages.length ? h("a", { href: address(pages[0].slug), "data-link": "" }, `Go to ${pages[0].title}`) : null)));
    fill(pager);
    content.removeAttribute("aria-busy");
  }

  /** Show a page (the first when `slug` is null), at `anchor` if it has one. */
  async function show(slug, anchor, { reload = false } = {}) {
    if (!pages.length) {
      wanted = { slug, anchor };
      return;
    }
    let target = slug ?? pages[0].slug;
    // An anchor of the one-page documentation of old, #section: its page now.
    if (slug === null && anchor && bySlug.has(anchor)) {
      target = anchor;
      anchor = "";
    }
    if (!bySlug.has(target)) {
      loads++;
      renderMissing(target);
      return;
    }
    if (target === shown && !reload) {
      if (!scrollToAnchor(anchor)) scrollToTop();
      return;
    }
    const number = ++loads;
    content.setAttribute("aria-busy", "true");
    let page;
    try {
      page = await fetchPage(target);
    } catch (error) {
      if (disposed || number !== loads) return;
      if (error instanceof api.ApiError && error.status === 404) renderMissing(target);
      else if (error instanceof api.ApiError && error.status === 401) onError(error);
      else renderMissing(target, `This page could not be loaded: ${error.message}`);
      return;
    }
    if (disposed || number !== loads) return;
    const first = shown === null && !reload;
    renderPage(page);
    if (reload) return; // new docs of the same page: the reader stays where it was
    if (!scrollToAnchor(anchor) && !first) {
      scrollToTop();
      const heading = body.querySelector("h1, h2, h3");
      if (heading) {
        heading.setAttribute("tabindex", "-1");
        heading.focus({ preventScroll: true });
      }
    }
  }

  /** The /docs answer: its table of contents and first page.  New docs replace the old. */
  function setDocs(docs) {
    const key = `${docs.completed_at}|${docs.commit_sha}`;
    if (key === docsKey) return;
    const again = docsKey !== null;
    docsKey = key;
    pages = docs.pages || [];
    bySlug = new Map(pages.map((p) => [p.slug, p]));
    order = new Map(pages.map((p, i) => [p.slug, i]));
    if (again) kept = new Map(); // pages of the docs before; a page asked for ahead stays
    if (docs.page) keep(docs.page);
    tree = createPageTree(pages, address);
    fill(treeSlot, tree.element);
    if (again) {
      const current = shown;
      shown = null;
      show(current && bySlug.has(current) ? current : null, "", { reload: true });
    } else {
      show(wanted.slug, wanted.anchor);
    }
  }

  return {
    sidebar,
    content,
    setDocs,
    show,
    /** Ask for a page before the table of contents arrives (an address that names it). */
    prefetch(slug) {
      fetchPage(slug).catch(() => {}); // show() reports what went wrong, if it is still wanted
    },
    dispose() {
      disposed = true;
      search.dispose();
    },
  };
}
