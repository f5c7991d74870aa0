// ProjectDetail, as the original design had it: a "Generate Documentation"
// button; while generating, a progress bar with the percentage and the current
// step, the button disabled, and a status poll (with the event stream beside
// it) that stops at a terminal status; the documentation when completed; the
// error message and an enabled Retry button when failed.  Beyond it, the last
// good docs stay on screen with a banner during a regeneration and after a
// failure, and the docs are a reader of pages (reader.js) with addresses of
// their own: /repositories/{id}/docs/{slug}#{anchor}.

import * as api from "./api.js";
import { fill, h, providerBadge, repositoryLocation, repositoryName, shortSha, statusBadge, timeElement } from "./dom.js";
import { mountReader } from "./reader.js";
import { isTerminal, watchStatus } from "./watch.js";

/**
 * The page of one repository, opened at `target` ({slug, anchor}: slug null for
 * the first page).  Returns {dispose(), show(slug, anchor)}: `show` moves the
 * reader to another address of the same repository without building the page again.
 */
export function mountDetail(main, ctx, repositoryId, target = { slug: null, anchor: "" }) {
  const webUrl = ctx.config.github && ctx.config.github.web_url;
  // watched: this page followed a run, so its end is shown on the bar (100 %, "Completed").
  const state = { repo: null, status: null, docs: null, watched: false };
  let stopWatching = null;
  let disposed = false;

  // --- the skeleton: built once, its parts updated as the status changes ---
  const title = h("h1", { class: "page-title", tabindex: "-1" }, "Repository");
  const badges = h("div", { class: "repo-badges" });
  const where = h("p", { class: "repo-where" });
  const meta = h("p", { class: "repo-meta" });
  const download = h("a", { class: "button button-secondary", href: `/api/repositories/${repositoryId}/docs.md`, download: "", hidden: true }, "Download Markdown");
  const generateButton = h("button", { type: "button", class: "button button-primary", id: "generate", onclick: () => generate() }, "Generate Documentation");
  const notices = h("div", { class: "notices", "aria-live": "polite" });
  const connection = h("div", { class: "notice notice-warning", role: "status", hidden: true });
  const stepText = h("span", { class: "progress-step" });
  const percentText = h("span", { class: "progress-percent" });
  const fillBar = h("div", { class: "progress-fill" });
  const bar = h("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-labelledby": "progress-label" }, fillBar);
  const progressPanel = h("section", { class: "card progress-panel", hidden: true, "aria-label": "Generation progress" },
    h("div", { class: "progress-head" },
      h("span", { id: "progress-label", class: "progress-label" }, "Documentation generation"),
      percentText),
    bar,
    h("p", { class: "progress-step-line", "aria-live": "polite" }, stepText));
  const retryButton = h("button", { type: "button", class: "button button-primary", id: "retry", onclick: () => generate() }, "Retry");
  const errorText = h("p", { class: "alert-message" });
  const errorPanel = h("section", { class: "alert alert-error", role: "alert", hidden: true },
    h("div", { class: "alert-body" }, h("h2", { class: "alert-title" }, "Documentation generation failed"), errorText),
    retryButton);
  const banner = h("div", { class: "banner", role: "status", hidden: true });
  const empty = h("section", { class: "empty-state", hidden: true },
    h("h2", {}, "No documentation yet"),
    h("p", {}, "Press “Generate Documentation” to read this repository and write its documentation. Every statement cites the file and line it comes from."));
  const reader = mountReader({
    repositoryId,
    config: ctx.config,
    navigate: (href) => ctx.navigate(href),
    onError: (error) => handleError(error),
    onPage: (page) => {
      if (state.repo) document.title = `${page.title} · ${repositoryName(state.repo)} · docsgen`;
    },
  });
  reader.show(target.slug, target.anchor);
  const layout = h("div", { class: "docs-layout", hidden: true }, reader.sidebar, reader.content);

  fill(main,
    h("nav", { class: "breadcrumb", "aria-label": "Breadcrumb" }, h("a", { href: "/", "data-link": "" }, "Repositories"), h("span", { "aria-hidden": "true" }, " / ")),
    h("header", { class: "repo-header" },
      h("div", { class: "repo-heading" }, title, where, badges, meta),
      h("div", { class: "repo-actions" }, download, generateButton)),
    notices, connection, progressPanel, errorPanel, banner, empty, layout);
  title.focus();

  // --- rendering the state ---
  function render() {
    const s = state.status;
    if (!s || !state.repo) return;
    const generating = s.status === "generating";
    fill(badges, providerBadge(state.repo.provider), statusBadge(s.status, s.progress));

    generateButton.hidden = s.status === "failed";
    generateButton.disabled = generating;
    generateButton.textContent = generating ? "Generating…" : s.status === "completed" || hasDocs(state.docs) ? "Regenerate Documentation" : "Generate Documentation";

    const finished = state.watched && s.status === "completed";
    progressPanel.hidden = !(generating || finished);
    progressPanel.classList.toggle("progress-done", finished);
    const progress = Math.max(0, Math.min(100, s.progress ?? 0));
    bar.setAttribute("aria-valuenow", String(progress));
    bar.setAttribute("aria-valuetext", `${progress}%, ${s.current_step || "Starting"}`);
    fillBar.style.width = `${progress}%`;
    percentText.textContent = `${progress}%`;
    stepText.textContent = s.current_step || "Starting…";

    errorPanel.hidden = s.status !== "failed";
    errorText.textContent = s.error_message || "The generation failed.";
    retryButton.disabled = false;

    const docs = hasDocs(state.docs) ? state.docs : null;
    download.hidden = !docs;
    renderMeta(docs);
    renderBanner(s, docs);
    empty.hidden = Boolean(docs) || generating || s.status === "failed";
    layout.hidden = !docs;
  }

  function renderMeta(docs) {
    if (!docs || !docs.completed_at) {
      fill(meta, "Documentation not generated yet");
      return;
    }
    const sha = docs.commit_sha;
    const commit = state.repo.provider === "github" && webUrl && sha
      ? h("a", { href: `${webUrl}/${state.repo.full_name}/commit/${sha}`, target: "_blank", rel: "noopener noreferrer" }, h("code", {}, shortSha(sha)))
      : h("code", { title: sha || "" }, shortSha(sha));
    fill(meta, "Documentation of commit ", commit, ", generated ", timeElement(docs.completed_at), staleness(state.status, sha));
  }

  // "N commits behind" when the repository's head has moved past the documented commit.
  function staleness(s, sha) {
    if (!s || !s.head_sha || !sha || s.head_sha === sha) return "";
    const behind = s.commits_behind;
    const text = behind == null ? "new commits since" : `${behind} commit${behind === 1 ? "" : "s"} behind`;
    return h("span", { class: "badge badge-stale", id: "staleness", title: `The repository is at ${shortSha(s.head_sha)}` }, text);
  }

  function renderBanner(s, docs) {
    if (!docs || !(s.status === "generating" || s.status === "failed")) {
      banner.hidden = true;
      return;
    }
    banner.hidden = false;
    banner.className = `banner ${s.status === "failed" ? "banner-warning" : "banner-info"}`;
    const when = timeElement(docs.completed_at);
    fill(banner, s.status === "generating"
      ? ["A new version is being generated. Showing the documentation from ", when, " until it is ready."]
      : ["The latest generation failed. Showing the last successful documentation, from ", when, "."]);
  }


  function notice(kind, text) {
    const el = h("div", { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
      h("span", {}, text),
      h("button", { type: "button", class: "notice-close", "aria-label": "Dismiss", onclick: () => el.remove() }, "×"));
    fill(notices, el);
  }

  // --- loading and following ---
  // The table of contents and the first page; the reader fetches other pages itself.
  async function loadDocs() {
    let docs;
    try {
      docs = await api.get(`/api/repositories/${repositoryId}/docs`);
    } catch (error) {
      if (!(error instanceof api.ApiError && error.status === 404)) throw error;
      return; // not generated yet: the status says what there is to say
    }
    if (disposed) return;
    state.docs = hasDocs(docs) ? docs : state.docs;
    state.status = statusOf(docs);
    if (state.docs) reader.setDocs(state.docs);
    render();
  }

  function follow() {
    if (stopWatching) stopWatching();
    state.watched = true;
    stopWatching = watchStatus(repositoryId, ctx.config, {
      onStatus: (status) => {
        state.status = status;
        render();
        if (status.status === "completed") loadDocs().catch(handleError);
      },
      onTrouble: (message) => {
        connection.hidden = !message;
        connection.textContent = message || "";
      },
      onUnauthorized: () => ctx.signedOut("Your session has ended; sign in again."),
    });
  }

  async function generate() {
    generateButton.disabled = true;
    retryButton.disabled = true;
    fill(notices);
    try {
      await api.post("/api/generate-docs", { repository_id: repositoryId });
      if (disposed) return;
      // As the original: the run starts at 0 % "Initializing..." at once.
      state.status = { ...state.status, status: "generating", progress: 0, current_step: "Initializing...", error_message: null };
      render();
      follow();
    } catch (error) {
      if (disposed) return;
      if (error instanceof api.ApiError && error.status === 409) {
        notice("info", "Documentation generation is already in progress for this repository (started elsewhere). Showing its progress.");
        state.status = { ...state.status, status: "generating", error_message: null };
        render();
        const status = await api.get(`/api/repositories/${repositoryId}/docs/status`).catch(() => null);
        if (status && !disposed) {
          state.status = status;
          render();
          if (isTerminal(status.status)) {
            if (status.status === "completed") await loadDocs();
            return;
          }
        }
        follow();
        return;
      }
      handleError(error);
      render();
    }
  }

  function handleError(error) {
    if (disposed) return;
    if (error instanceof api.ApiError && error.status === 401) {
      ctx.signedOut("Your session has ended; sign in again.");
      return;
    }
    notice("error", error.message);
  }

  async function start() {
    try {
      state.repo = await api.get(`/api/repositories/${repositoryId}`);
    } catch (error) {
      if (error instanceof api.ApiError && (error.status === 404 || error.status === 400)) {
        fill(main, h("section", { class: "empty-state" }, h("h1", { class: "page-title", tabindex: "-1" }, "Repository not found"),
          h("p", {}, "It does not exist, or it belongs to someone else. "), h("a", { href: "/", "data-link": "" }, "Back to your repositories")));
        return;
      }
      handleError(error);
      return;
    }
    if (disposed) return;
    title.textContent = repositoryName(state.repo);
    fill(where, state.repo.provider === "github" && webUrl
      ? h("a", { href: `${webUrl}/${state.repo.full_name}`, target: "_blank", rel: "noopener noreferrer" }, repositoryLocation(state.repo))
      : repositoryLocation(state.repo));
    document.title = `${repositoryName(state.repo)} · docsgen`;
    main.querySelector(".breadcrumb").append(h("span", { "aria-current": "page" }, repositoryName(state.repo)));
    state.status = state.repo.docs;
    render();
    // Before the first successful run there are no docs to ask for (the answer is a 404).
    // A page named by the address is asked for beside the table of contents.
    if (state.status.completed_at) {
      if (target.slug) reader.prefetch(target.slug);
      await loadDocs();
    }
    if (!disposed && state.status.status === "generating") follow();
  }

  start().catch(handleError);

  return {
    dispose() {
      disposed = true;
      reader.dispose();
      if (stopWatching) stopWatching();
    },
    show: (slug, anchor) => reader.show(slug, anchor),
  };
}

function hasDocs(docs) {
  return Boolean(docs && docs.pages && docs.pages.length);
}

function statusOf(docs) {
  const { pages, page, ...status } = docs;
  return status;
}
