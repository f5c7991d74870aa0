// The search box of the reader: results as you type (debounced; an answer to
// an older query is dropped), arrow keys to choose, Enter to go, Escape to
// close; "/" anywhere on the page focuses it.  The search runs on the server.

import * as api from "./api.js";
import { h } from "./dom.js";

const DEBOUNCE_MS = 120;
const LIMIT = 12;
const KIND_LABELS = { symbol: "Symbol", page: "Page", text: "Text" };

let searchCounter = 0;

/**
 * createSearch({repositoryId, hrefOf, navigate, onError}) -> {element, dispose()}
 *   hrefOf(slug, anchor)  the address of a result
 *   navigate(href)        go there inside the page
 *   onError(error)        a failure that is not the search's to explain (401)
 */
export function createSearch({ repositoryId, hrefOf, navigate, onError }) {
  const id = `search-${++searchCounter}`;
  const input = h("input", {
    type: "search", class: "search-input", id: `${id}-input`, placeholder: "Search the docs  ( / )",
    autocomplete: "off", spellcheck: "false", role: "combobox", "aria-autocomplete": "list",
    "aria-expanded": "false", "aria-controls": `${id}-results`, "aria-keyshortcuts": "/",
  });
  const list = h("ul", { class: "search-results", id: `${id}-results`, role: "listbox", "aria-label": "Search results", hidden: true });
  const status = h("p", { class: "search-status", role: "status", "aria-live": "polite" });
  const element = h("div", { class: "search", role: "search" },
    h("label", { class: "visually-hidden", for: `${id}-input` }, "Search the documentation"),
    input, status, list);

  let results = [];
  let active = -1;
  let timer = null;
  let asked = 0; // the number of the newest query sent; older answers are dropped
  let disposed = false;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(index) {
    const options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active < 0 || !options[active]) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    options[active].setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function go(index) {
    const result = results[index];
    if (!result) return;
    close();
    navigate(hrefOf(result.slug, result.anchor));
  }

  function show(query, found) {
    results = found;
    active = -1;
    list.replaceChildren(...found.map((r, i) =>
      h("li", { class: "search-result", role: "option", id: `${id}-option-${i}`, "aria-selected": "false" },
        // A real link: the mouse, a middle click and "copy link address" work on it too.
        h("a", { href: hrefOf(r.slug, r.anchor), "data-link": "", tabindex: "-1", onclick: close },
          h("span", { class: "search-result-head" },
            h("span", { class: `search-kind search-kind-${r.kind}` }, KIND_LABELS[r.kind] || r.kind),
            h("span", { class: "search-title" }, r.title)),
          r.snippet ? h("span", { class: "search-snippet" }, r.snippet) : null,
          r.citation ? h("code", { class: "search-citation" }, r.citation) : null))));
    const open = document.activeElement === input && query !== "";
    list.hidden = !open || !found.length;
    input.setAttribute("aria-expanded", String(!list.hidden));
    status.textContent = found.length ? `${found.length} result${found.length === 1 ? "" : "s"}` : `Nothing found for “${query}”`;
    if (found.length) setActive(0);
  }

  async function ask(query) {
    const number = ++asked;
    if (!query) {
      results = [];
      list.replaceChildren();
      status.textContent = "";
      close();
      return;
    }
    try {
      const answer = await api.get(`/api/repositories/${repositoryId}/docs/search?q=${encodeURIComponent(query)}&limit=${LIMIT}`);
      if (!disposed && number === asked) show(query, answer.results || []);
    } catch (error) {
      if (disposed || number !== asked) return;
      if (error instanceof api.ApiError && error.status === 401) onError(error);
      else status.textContent = `Search failed: ${error.message}`;
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value.trim();
    timer = setTimeout(() => ask(query), query ? DEBOUNCE_MS : 0);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!results.length) return;
      if (list.hidden) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + results.length) % results.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden) go(Math.max(active, 0));
    } else if (event.key === "Escape") {
      if (!list.hidden) close();
      else input.blur();
    }
  });
  input.addEventListener("focus", () => {
    if (results.length && input.value.trim()) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
  });
  input.addEventListener("blur", close);
  // A press on a result keeps the focus in the input, so the list stays until the click lands.
  list.addEventListener("mousedown", (event) => event.preventDefault());

  const onSlash = (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    const target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    event.preventDefault();
    input.focus();
    input.select();
  };
  document.addEventListener("keydown", onSlash);

  return {
    element,
    dispose() {
      disposed = true;
      clearTimeout(timer);
      document.removeEventListener("keydown", onSlash);
    },
  };
}
