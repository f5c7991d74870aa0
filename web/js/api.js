// Talking to the service: JSON in and out, the session's CSRF token on every
// request that changes something, errors as ApiError with the server's message.

let csrfToken = null;

export function setCsrfToken(token) {
  csrfToken = token || null;
}

/** The server answered with an error; `message` is its `error` text. */
export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.error) || `The server answered ${status}`);
    this.status = status;
    this.body = body || {};
  }
}

/** The server could not be reached at all. */
export class NetworkError extends Error {
  constructor() {
    super("Cannot reach the docsgen server");
  }
}

/**
 * One request.  `cache` is fetch's: "no-store" (the default) for answers that
 * change, "no-cache" to revalidate a stored answer with its ETag (a 304 then).
 */
export async function request(method, path, body, { cache = "no-store" } = {}) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
      cache,
    });
  } catch {
    throw new NetworkError();
  }
  if (response.status === 204) return null;
  let data = null;
  if ((response.headers.get("Content-Type") || "").includes("application/json")) {
    data = await response.json();
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (path, options) => request("GET", path, undefined, options);
export const post = (path, body) => request("POST", path, body);
export const put = (path, body) => request("PUT", path, body);
export const del = (path) => request("DELETE", path);
