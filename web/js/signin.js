// Signing in: with the one-time link `docsgen serve` prints, or an API token.
// Commands are written as this server's readers run them (`ctx.config.command`:
// `docsgen`, or `./scripts/dev` in a checkout).

import * as api from "./api.js";
import { fill, h } from "./dom.js";

/** The status the server gave this page's own load (400: a spent or unknown link). */
function navigationStatus() {
  const [entry] = performance.getEntriesByType("navigation");
  return entry && entry.responseStatus ? entry.responseStatus : 0;
}

export function mountSignin(main, ctx, message) {
  document.title = "Sign in · docsgen";
  const onSigninPath = location.pathname === "/signin";
  const hasToken = new URLSearchParams(location.search).has("token");
  const status = navigationStatus();
  const command = (ctx.config && ctx.config.command) || "docsgen";
  const error = h("div", { class: "form-error", role: "alert" });
  const tokenInput = h("input", { id: "api-token", type: "password", autocomplete: "off", spellcheck: "false", placeholder: "dg_…", required: true });
  const submit = h("button", { type: "submit", class: "button button-primary button-wide" }, "Sign in");
  const form = h("form", { class: "stack", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "api-token" }, "API token"), tokenInput,
      h("p", { class: "hint" }, "Create one with ", h("code", {}, `${command} users token LOGIN`), ".")),
    error, submit);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    const token = tokenInput.value.trim();
    if (!token) {
      fill(error, "Paste your API token.");
      tokenInput.focus();
      return;
    }
    submit.disabled = true;
    try {
      const session = await api.post("/api/session", { token });
      tokenInput.value = "";
      ctx.signedIn(session);
    } catch (e) {
      fill(error, e.message);
      submit.disabled = false;
      tokenInput.focus();
    }
  });

  const notes = [];
  if (message) notes.push(h("div", { class: "notice notice-info", role: "status" }, message));
  if (onSigninPath && hasToken && status === 200) {
    // A link opened from another site is not used until its owner confirms.
    notes.push(h("div", { class: "notice notice-info", role: "status" },
      h("p", {}, "Continue signing in with this link? Only do so if you opened it yourself, from the terminal where docsgen started."),
      h("button", { type: "button", class: "button button-primary", id: "continue-signin", onclick: () => location.assign(location.href) }, "Continue signing in")));
  } else if (onSigninPath) {
    notes.push(h("div", { class: "notice notice-error", role: "alert" },
      "This sign-in link is not valid: it was already used, has expired, or was mistyped. Get a new one with ",
      h("code", {}, `${command} users signin-link LOGIN`), ", or sign in with an API token."));
    history.replaceState(null, "", "/signin");
  }

  fill(main,
    h("section", { class: "signin card" },
      h("h1", { class: "page-title", tabindex: "-1" }, "Sign in to docsgen"),
      h("p", { class: "page-lead" }, "Open the sign-in link that ", h("code", {}, `${command} serve`), " printed when it started, or use an API token."),
      notes, form));
  (main.querySelector("#continue-signin") || tokenInput).focus();
}
