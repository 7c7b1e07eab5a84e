// The one client of the public API: JWT in localStorage, one refresh at a time.
import { lang } from "./i18n.js";

const BASE = "/api/v1";
const KEY = "agglo.staff.tokens";

let tokens = JSON.parse(localStorage.getItem(KEY) || "null");
let refreshing = null;

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.detail) || `HTTP ${status}`);
    this.status = status;
    this.code = body && body.code;
    this.fields = (body && body.fields) || {};
  }
}

function save(value) {
  tokens = value;
  if (value) localStorage.setItem(KEY, JSON.stringify(value));
  else localStorage.removeItem(KEY);
}

export const currentUser = () => (tokens ? tokens.user : null);

function send(method, path, { json, form, auth = true, headers: extra = {} } = {}) {
  const headers = { "Accept": "application/json", "Accept-Language": lang(), ...extra };
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form; // the browser writes the multipart boundary
  }
  if (auth && tokens) headers["Authorization"] = `Bearer ${tokens.access}`;
  return fetch(BASE + path, { method, headers, body });
}

// Refresh tokens are single-use: parallel 401s wait for the same refresh.
function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      const res = await send("POST", "/auth/token/refresh/", {
        json: { refresh: tokens.refresh },
        auth: false,
      });
      const body = await res.json().catch(() => null);
      if (!res.ok) {
        save(null);
        window.dispatchEvent(new Event("auth:expired"));
        throw new ApiError(res.status, body);
      }
      save({ ...tokens, access: body.access, refresh: body.refresh });
    })().finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

export async function request(method, path, options = {}) {
  let res = await send(method, path, options);
  if (res.status === 401 && options.auth !== false && tokens) {
    const body = await res.clone().json().catch(() => null);
    if (body && body.code === "token_not_valid") {
      await refresh();
      res = await send(method, path, options);
    }
  }
  if (res.status === 204) return null;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export const get = (path) => request("GET", path);

// A file answered behind the token (CSV, GeoJSON exports), as a Blob.
export async function getBlob(path) {
  let res = await send("GET", path);
  if (res.status === 401 && tokens) {
    await refresh();
    res = await send("GET", path);
  }
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
  return res.blob();
}
export const post = (path, json) => request("POST", path, { json });
export const postForm = (path, form) => request("POST", path, { form });

export async function login(email, password) {
  const body = await request("POST", "/auth/token/", { json: { email, password }, auth: false });
  save(body);
  return body.user;
}

export async function logout() {
  const refreshToken = tokens && tokens.refresh;
  try {
    if (refreshToken) await request("POST", "/auth/logout/", { json: { refresh: refreshToken } });
  } catch {
    // The tokens are forgotten here whatever the server answers.
  } finally {
    save(null);
  }
}

// The account as /me/ shows it now (memberships may have changed since logging in).
export async function reloadUser() {
  const user = await get("/me/");
  save({ ...tokens, user });
  return user;
}

// A new account, logged in at once (the answer is that of a login).
export async function register(fields) {
  const body = await request("POST", "/auth/register/", { json: fields, auth: false });
  save(body);
  return body.user;
}
