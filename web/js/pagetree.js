// The sidebar's tree of pages: parents and children from each page's `parent`,
// in reading order.  A branch's children are built the first time it opens, so
// a repository of a thousand modules costs a few dozen nodes until it is browsed.
// Links carry data-link: following one is the page's ordinary navigation.

import { h } from "./dom.js";

const WARNING_SIGN = "\u26A0\uFE0F";

export function warningLabel(n) {
  return `${n} warning${n === 1 ? "" : "s"}`;
}

/**
 * createPageTree(pages, hrefOf) -> {element, setCurrent(slug)}
 *   pages   [{slug, title, parent, warnings}] in reading order
 *   hrefOf  slug -> the address of that page
 */
export function createPageTree(pages, hrefOf) {
  const bySlug = new Map(pages.map((p) => [p.slug, p]));
  const children = new Map();
  const roots = [];
  for (const page of pages) {
    const parent = page.parent && bySlug.has(page.parent) && page.parent !== page.slug ? page.parent : null;
    if (parent === null) roots.push(page);
    else (children.get(parent) || children.set(parent, []).get(parent)).push(page);
  }
  const items = new Map(); // slug -> {li, link, toggle, list}
  let current = null;

  // A leaf is its <li> and link alone: a branch of a thousand modules stays light.
  function item(page) {
    const kids = children.get(page.slug) || [];
    const link = h("a", { class: "tree-link", href: hrefOf(page.slug), "data-link": "" }, page.title);
    const entry = { li: null, link, toggle: null, list: null, kids };
    const row = kids.length ? h("div", { class: "tree-row" }) : h("li", { class: "tree-item tree-row tree-leaf" });
    if (kids.length) {
      entry.toggle = h("button", {
        type: "button", class: "tree-toggle", "aria-expanded": "false",
        "aria-label": `${page.title}: show its ${kids.length} page${kids.length === 1 ? "" : "s"}`,
        onclick: () => setOpen(entry, entry.toggle.getAttribute("aria-expanded") !== "true"),
      });
      row.append(entry.toggle);
    }
    row.append(link);
    const warnings = Number(page.warnings) || 0;
    if (warnings > 0) {
      row.append(h("span", { class: "tree-warnings", title: warningLabel(warnings) },
        h("span", { "aria-hidden": "true" }, `${WARNING_SIGN} ${warnings}`),
        h("span", { class: "visually-hidden" }, warningLabel(warnings))));
    }
    entry.li = kids.length ? h("li", { class: "tree-item" }, row) : row;
    items.set(page.slug, entry);
    return entry.li;
  }

  function setOpen(entry, open) {
    if (open && !entry.list) {
      entry.list = h("ul", { class: "tree-list" }, entry.kids.map(item));
      entry.li.append(entry.list);
    }
    if (entry.list) entry.list.hidden = !open;
    entry.toggle.setAttribute("aria-expanded", String(open));
    const title = entry.link.textContent;
    const n = entry.kids.length;
    entry.toggle.setAttribute("aria-label", `${title}: ${open ? "hide" : "show"} its ${n} page${n === 1 ? "" : "s"}`);
  }

  /** Open every ancestor of `slug`, so that its link exists and shows. */
  function reveal(slug) {
    const chain = [];
    for (let at = bySlug.get(slug); at; at = at.parent && at.parent !== at.slug ? bySlug.get(at.parent) : null) {
      chain.unshift(at.slug);
      if (chain.length > pages.length) break; // a cycle in the data
    }
    for (const ancestor of chain.slice(0, -1)) {
      const entry = items.get(ancestor);
      if (entry && entry.toggle) setOpen(entry, true);
    }
    return items.get(slug);
  }

  const element = h("nav", { class: "page-tree", "aria-label": "Pages" },
    h("ul", { class: "tree-list tree-root" }, roots.map(item)));

  return {
    element,
    setCurrent(slug) {
      if (current) current.link.removeAttribute("aria-current");
      current = bySlug.has(slug) ? reveal(slug) : null;
      if (!current) return;
      current.link.setAttribute("aria-current", "page");
      // Scroll the tree itself (never the window) to show the current page.
      if (element.scrollHeight <= element.clientHeight) return;
      const box = element.getBoundingClientRect();
      const at = current.link.getBoundingClientRect();
      if (at.top < box.top || at.bottom > box.bottom) element.scrollTop += at.top - box.top - box.height / 3;
    },
  };
}
