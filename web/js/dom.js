// Building the page from data without ever parsing data as HTML: every text
// goes in through textContent, every attribute through setAttribute.

/**
 * h("button", {class: "button", onclick: fn}, "Text", child, ...) -> Element.
 * Attributes named on* become event listeners; `hidden`/`disabled` are booleans.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else if (value === true) {
      el.setAttribute(name, "");
    } else {
      el.setAttribute(name, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "3 minutes ago" for an ISO time. */
export function ago(iso) {
  const seconds = (new Date(iso).getTime() - Date.now()) / 1000;
  const steps = [
    [60, "second"], [60, "minute"], [24, "hour"], [7, "day"], [4.345, "week"], [12, "month"],
  ];
  let value = seconds;
  for (const [size, unit] of steps) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), "year");
}

/** A <time> showing "3 minutes ago", with the full date on hover and for machines. */
export function timeElement(iso) {
  return h("time", { datetime: iso, title: absolute.format(new Date(iso)) }, ago(iso));
}

export function shortSha(sha) {
  return sha ? sha.slice(0, 7) : "";
}

/** What the user calls a repository: owner/name, or the folder's name. */
export function repositoryName(repo) {
  if (repo.full_name) return repo.full_name;
  if (repo.path) return repo.path.replace(/\/+$/, "").split("/").pop() || repo.path;
  return repo.id;
}

/** Where a repository is: its GitHub name, or its folder's full path. */
export function repositoryLocation(repo) {
  return repo.provider === "github" ? `${repo.full_name} on GitHub` : repo.path;
}

const STATUS_LABELS = {
  idle: "Not generated",
  generating: "Generating",
  completed: "Completed",
  failed: "Failed",
};

/** A status badge: colour and text (never colour alone). */
export function statusBadge(status, progress) {
  const label = STATUS_LABELS[status] || status;
  const text = status === "generating" ? `${label} ${progress ?? 0}%` : label;
  return h("span", { class: `badge badge-${status}`, "data-status": status }, text);
}

export function providerBadge(provider) {
  return h("span", { class: `tag tag-${provider}` }, provider === "github" ? "GitHub" : "Local");
}
