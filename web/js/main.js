// The page's entry: learn the server's configuration and who is signed in,
// then show the view for the address.  Links marked data-link navigate
// without reloading; the back button works.  A view may take a new address
// itself (the reader moving between pages of one repository) instead of
// being built again.

import * as api from "./api.js";
import { mountDetail } from "./detail.js";
import { currentAnchor } from "./reader.js";
import { fill, h } from "./dom.js";
import { mountRepositories } from "./repositories.js";
import { mountSignin } from "./signin.js";

const main = document.getElementById("main");
const account = document.getElementById("account");
const accountLogin = document.getElementById("account-login");
// /repositories/{id}, or /repositories/{id}/docs/{slug}: a page of its documentation.
const DETAIL = /^\/repositories\/([0-9a-f-]{36})(?:\/docs\/(.+?))?\/?$/i;

const ctx = {
  config: null,
  session: null,
  navigate(path) {
    history.pushState(null, "", path);
    route();
  },
  signedIn(session) {
    setSession(session);
    if (location.pathname === "/signin") history.replaceState(null, "", "/");
    route();
  },
  signedOut(message) {
    setSession(null);
    route(message);
  },
};

let view = null; // {dispose(), show?(slug, anchor), repositoryId?}
let shownPath = null;

function setSession(session) {
  ctx.session = session;
  api.setCsrfToken(session && session.csrf_token);
  account.hidden = !session;
  accountLogin.textContent = session ? session.login : "";
}

function slugOf(encoded) {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

function route(message) {
  const detailOf = DETAIL.exec(location.pathname);
  if (ctx.session && detailOf && view && view.repositoryId === detailOf[1].toLowerCase()) {
    shownPath = location.pathname;
    view.show(detailOf[2] === undefined ? null : slugOf(detailOf[2]), currentAnchor());
    return;
  }
  if (view) view.dispose();
  view = null;
  shownPath = location.pathname;
  window.scrollTo(0, 0);
  if (!ctx.session) {
    mountSignin(main, ctx, message);
    return;
  }
  const path = location.pathname;
  const detail = DETAIL.exec(path);
  if (path === "/" || path === "/signin") {
    if (path === "/signin") history.replaceState(null, "", "/");
    view = { dispose: mountRepositories(main, ctx) };
  } else if (detail) {
    const target = { slug: detail[2] === undefined ? null : slugOf(detail[2]), anchor: currentAnchor() };
    view = { ...mountDetail(main, ctx, detail[1], target), repositoryId: detail[1].toLowerCase() };
  } else {
    document.title = "Not found · docsgen";
    fill(main, h("section", { class: "empty-state" },
      h("h1", { class: "page-title", tabindex: "-1" }, "Page not found"),
      h("a", { href: "/", "data-link": "" }, "Go to your repositories")));
  }
}

document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-link]");
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  ctx.navigate(link.getAttribute("href"));
});
// Following a link to a section changes only the fragment: the view stays.
window.addEventListener("popstate", () => {
  if (location.pathname !== shownPath) route();
});

document.getElementById("signout").addEventListener("click", async () => {
  try {
    await api.del("/api/session");
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 401)) {
      alertInPage(`Could not sign out: ${error.message}`);
      return;
    }
  }
  history.replaceState(null, "", "/");
  ctx.signedOut("You have signed out.");
});

function alertInPage(text) {
  main.prepend(h("div", { class: "notice notice-error", role: "alert" }, text));
}

async function start() {
  // Both at once: the page's first answers are on the way to the first page shown.
  const session = api.get("/api/session");
  session.catch(() => {}); // awaited below, after the configuration
  try {
    ctx.config = await api.get("/api/config");
  } catch (error) {
    fill(main, h("div", { class: "notice notice-error", role: "alert" }, `docsgen is not reachable: ${error.message}. Reload the page to try again.`));
    return;
  }
  try {
    setSession(await session);
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 401)) {
      fill(main, h("div", { class: "notice notice-error", role: "alert" }, `docsgen is not reachable: ${error.message}. Reload the page to try again.`));
      return;
    }
    setSession(null);
  }
  route();
}

start();
