// The repositories page: every repository with its status badge and when its
// docs were last generated; adding a GitHub repository (picked from the
// connected account's list, or typed as owner/name) or a local folder; and
// connecting GitHub (a token, or OAuth when the server offers it).

import * as api from "./api.js";
import { fill, h, providerBadge, repositoryLocation, repositoryName, statusBadge, timeElement } from "./dom.js";

export function mountRepositories(main, ctx) {
  let disposed = false;
  let refreshTimer = null;
  document.title = "Repositories · docsgen";

  const list = h("div", { class: "repo-list-slot" }, h("p", { class: "muted", role: "status" }, "Loading repositories…"));
  const addCard = addRepositoryCard(ctx);
  const githubCard = h("section", { class: "card", "aria-labelledby": "github-title" });

  fill(main,
    h("div", { class: "page-head" },
      h("h1", { class: "page-title", tabindex: "-1" }, "Repositories"),
      h("p", { class: "page-lead" }, "Register a repository, generate its documentation, and read what the code really says.")),
    h("div", { class: "two-columns" },
      h("section", { class: "column-main", "aria-label": "Your repositories" }, list),
      h("aside", { class: "column-side" }, addCard, githubCard)));
  main.querySelector(".page-title").focus();

  async function loadList() {
    clearTimeout(refreshTimer);
    let repositories;
    try {
      ({ repositories } = await api.get("/api/repositories"));
    } catch (error) {
      if (disposed) return;
      if (error instanceof api.ApiError && error.status === 401) return ctx.signedOut("Your session has ended; sign in again.");
      fill(list, h("div", { class: "notice notice-error", role: "alert" }, `Could not load your repositories: ${error.message}`));
      refreshTimer = setTimeout(loadList, ctx.config.poll_interval_seconds * 1000);
      return;
    }
    if (disposed) return;
    fill(list, repositories.length ? h("ul", { class: "repo-list" }, repositories.map(repoItem)) : emptyList());
    // Keep badges of running generations moving.
    if (repositories.some((r) => r.docs.status === "generating")) {
      refreshTimer = setTimeout(loadList, ctx.config.poll_interval_seconds * 1000);
    }
  }

  async function loadGithub() {
    fill(githubCard, await githubSection(ctx, loadGithub));
  }

  loadList();
  loadGithub().catch((error) => fill(githubCard, h("p", { class: "muted" }, `GitHub: ${error.message}`)));

  return () => {
    disposed = true;
    clearTimeout(refreshTimer);
  };
}

function emptyList() {
  return h("div", { class: "empty-state" },
    h("h2", {}, "No repositories yet"),
    h("p", {}, "Add a GitHub repository or a local git checkout to get started."));
}

function repoItem(repo) {
  const docs = repo.docs;
  const when = docs.completed_at
    ? ["Docs generated ", timeElement(docs.completed_at)]
    : ["Docs never generated"];
  return h("li", {},
    h("a", { class: "repo-card", href: `/repositories/${repo.id}`, "data-link": "" },
      h("span", { class: "repo-card-main" },
        h("span", { class: "repo-card-name" }, repositoryName(repo)),
        repo.provider === "local" ? h("span", { class: "repo-card-where" }, repositoryLocation(repo)) : null,
        h("span", { class: "repo-card-when" }, when)),
      h("span", { class: "repo-card-badges" }, providerBadge(repo.provider), statusBadge(docs.status, docs.progress))));
}

function addRepositoryCard(ctx) {
  const local = ctx.config.local_repositories;
  const error = h("div", { class: "form-error", role: "alert" });
  const datalist = h("datalist", { id: "github-repos" });
  const nameInput = h("input", { id: "repo-full-name", name: "full_name", type: "text", list: "github-repos", placeholder: "owner/name", autocomplete: "off", spellcheck: "false" });
  const pathInput = h("input", { id: "repo-path", name: "path", type: "text", placeholder: "/path/to/checkout", autocomplete: "off", spellcheck: "false" });
  const githubFields = h("div", { class: "field" }, h("label", { for: "repo-full-name" }, "GitHub repository"), nameInput, datalist,
    h("p", { class: "hint" }, "Pick one of your repositories or type owner/name (a GitHub URL works too)."));
  const localFields = h("div", { class: "field", hidden: true }, h("label", { for: "repo-path" }, "Folder of a git checkout"), pathInput,
    h("p", { class: "hint" }, "An absolute path on the server, inside the folders it allows."));
  const radio = (value, label, checked, disabled) => h("label", { class: "segment" },
    h("input", { type: "radio", name: "provider", value, checked, disabled }), h("span", {}, label));
  const submit = h("button", { type: "submit", class: "button button-primary" }, "Add repository");

  const form = h("form", { class: "stack", novalidate: true },
    h("fieldset", { class: "segmented" }, h("legend", { class: "visually-hidden" }, "Where the repository is"),
      radio("github", "GitHub", true, false), radio("local", "Local folder", false, !local)),
    githubFields, localFields,
    local ? null : h("p", { class: "hint" }, "Local folders are disabled on this server."),
    error, submit);

  form.addEventListener("change", (event) => {
    if (event.target.name !== "provider") return;
    const isLocal = event.target.value === "local";
    githubFields.hidden = isLocal;
    localFields.hidden = !isLocal;
    (isLocal ? pathInput : nameInput).focus();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const provider = new FormData(form).get("provider");
    const body = provider === "local"
      ? { provider, path: pathInput.value.trim() }
      : { provider, full_name: nameInput.value.trim() };
    fill(error);
    if (!(body.path || body.full_name)) {
      fill(error, provider === "local" ? "Enter the folder's absolute path." : "Enter the repository as owner/name.");
      return;
    }
    submit.disabled = true;
    try {
      const repo = await api.post("/api/repositories", body);
      ctx.navigate(`/repositories/${repo.id}`);
    } catch (e) {
      if (e instanceof api.ApiError && e.status === 409 && e.body.id) {
        fill(error, "This repository is already registered. ", h("a", { href: `/repositories/${e.body.id}`, "data-link": "" }, "Open it"));
      } else {
        fill(error, e.message);
      }
    } finally {
      submit.disabled = false;
    }
  });

  ctx.fillGithubChoices = (names) => fill(datalist, names.map((name) => h("option", { value: name })));
  return h("section", { class: "card", "aria-labelledby": "add-title" }, h("h2", { class: "card-title", id: "add-title" }, "Add a repository"), form);
}

/** The GitHub card: connection state, token form, OAuth button. */
async function githubSection(ctx, reload) {
  const gh = ctx.config.github || {};
  const heading = h("h2", { class: "card-title", id: "github-title" }, "GitHub account");
  if (!gh.connection) {
    return [heading, h("p", { class: "muted" }, "Connecting a GitHub account is not available on this server. Public repositories can still be added by name.")];
  }
  let connection = null;
  try {
    connection = await api.get("/api/github/connection");
  } catch (error) {
    if (!(error instanceof api.ApiError && error.status === 404)) throw error;
  }
  const login = connection && (connection.login || connection.github_login);
  const connected = Boolean(connection && (connection.connected ?? login));
  if (connected && gh.repos) loadGithubChoices(ctx);

  const error = h("div", { class: "form-error", role: "alert" });
  const tokenInput = h("input", { id: "github-token", type: "password", autocomplete: "off", placeholder: "ghp_…", spellcheck: "false" });
  const tokenForm = h("form", { class: "stack", hidden: connected },
    h("div", { class: "field" }, h("label", { for: "github-token" }, "Personal access token"), tokenInput,
      h("p", { class: "hint" }, "Stored encrypted on the server and never shown again.")),
    error,
    h("button", { type: "submit", class: "button button-secondary" }, connected ? "Save new token" : "Connect with token"));
  tokenForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    fill(error);
    if (!tokenInput.value.trim()) {
      fill(error, "Paste a GitHub personal access token.");
      return;
    }
    try {
      await api.put("/api/github/connection", { token: tokenInput.value.trim() });
      tokenInput.value = "";
      await reload();
    } catch (e) {
      fill(error, e.message);
    }
  });
  const oauth = gh.oauth ? h("a", { class: "button button-github", href: "/auth/github/login" }, connected ? "Reconnect with GitHub" : "Sign in with GitHub") : null;
  const status = connected
    ? h("p", { class: "connection-status" }, h("span", { class: "dot dot-ok", "aria-hidden": "true" }), "Connected", login ? [" as ", h("strong", {}, `@${login}`)] : null)
    : h("p", { class: "connection-status" }, h("span", { class: "dot", "aria-hidden": "true" }), "Not connected: private repositories cannot be read.");
  const reconnect = connected
    ? h("button", { type: "button", class: "button button-quiet", onclick: (e) => { tokenForm.hidden = false; e.currentTarget.hidden = true; tokenInput.focus(); } }, "Reconnect with a token")
    : null;
  return [heading, status, h("div", { class: "button-row" }, oauth, reconnect), tokenForm];
}

async function loadGithubChoices(ctx) {
  try {
    const body = await api.get("/api/github/repos");
    const items = Array.isArray(body) ? body : body.repositories || body.repos || [];
    const names = items.map((item) => (typeof item === "string" ? item : item.full_name)).filter(Boolean);
    if (ctx.fillGithubChoices) ctx.fillGithubChoices(names);
  } catch {
    // The list is a convenience: typing owner/name still works.
  }
}
