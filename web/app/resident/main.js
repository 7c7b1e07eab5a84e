// The resident app: report a problem, follow it, take part in consultations, one's inbox
// and account. Hash routes, one screen at a time, on the public API like any phone app;
// each part (reports.js, ...) lists its screens and its links in the bar.
import * as api from "../api.js";
import { lang, setLang, t } from "../i18n.js";
import { errorBox, field, go, h, loading, loginForm, onSubmit, render, showFlash } from "../ui.js";
import * as account from "./account.js";
import * as consultations from "./consultations.js";
import * as outbox from "./outbox.js";
import * as reports from "./reports.js";

const parts = [reports, consultations, account];
// Screens anyone may open; the others need an account.
const publicRoutes = parts.flatMap((part) => part.publicRoutes || []);
const routes = parts.flatMap((part) => part.routes || []);

function renderChrome() {
  const user = api.currentUser();
  document.title = document.body.dataset.appName;
  const langButton = document.getElementById("lang");
  langButton.textContent = t("lang.switch");
  langButton.lang = lang() === "fr" ? "en" : "fr";
  document.documentElement.lang = lang();
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  const links = parts.flatMap((part) => (user ? part.nav : part.publicNav) || []);
  nav.append(
    ...links.map(([href, key]) => h("a", { href }, t(key))),
    user
      ? h("button", { type: "button", class: "link", onclick: async () => { await api.logout(); go("#/login"); } }, t("logout"))
      : h("a", { href: "#/login" }, t("res.nav.login")),
  );
  account.paintUnread();
}

// After logging in or registering, back to the screen that asked for it (a consultation's
// "log in to contribute", say); the report form otherwise.
const RETURN_KEY = "agglo.resident.return";
const AUTH_PATHS = new Set(["/login", "/inscription", "/mot-de-passe-oublie", "/reinitialiser-mot-de-passe"]);
const goBack = () => {
  const back = sessionStorage.getItem(RETURN_KEY);
  go(back && back !== "#/" && back !== "#" ? back : "#/nouveau");
};

function loginScreen() {
  return [
    h("h1", {}, t("login.title")),
    showFlash(),
    loginForm((user) => {
      // The account's language, as its e-mails and pushes use it.
      if (user?.language === "fr" || user?.language === "en") setLang(user.language);
      goBack();
    }),
    h("p", {}, h("a", { href: "#/mot-de-passe-oublie" }, t("res.acc.reset.link"))),
    h("p", {}, t("res.login.or_register"), " ", h("a", { href: "#/inscription" }, t("res.register.switch"))),
  ];
}

function registerScreen() {
  const firstName = h("input", { type: "text", name: "first_name", autocomplete: "given-name" });
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "new-password", required: true });
  const form = h("form", { class: "stack", novalidate: true },
    field("first_name", t("res.register.first_name"), firstName),
    field("email", t("login.email"), email),
    field("password", t("login.password"), password),
    h("button", { type: "submit", class: "primary" }, t("res.register.submit")),
  );
  onSubmit(form, async () => {
    await api.register({ email: email.value.trim(), password: password.value, first_name: firstName.value.trim(), language: lang() });
    goBack();
  });
  return [h("h1", {}, t("res.register.title")), form, h("p", {}, h("a", { href: "#/login" }, t("res.login.switch")))];
}

function matchRoute(table, path) {
  for (const [pattern, screen] of table) {
    const match = typeof pattern === "string" ? (pattern === path ? [path] : null) : path.match(pattern);
    if (match) return [match, screen];
  }
  return null;
}

async function route() {
  renderChrome();
  const [path, search] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(search || "");
  if (!AUTH_PATHS.has(path)) sessionStorage.setItem(RETURN_KEY, location.hash);
  if (path === "/inscription" && !api.currentUser()) return render(registerScreen);
  const open = matchRoute(publicRoutes, path);
  const found = open || (api.currentUser() && path !== "/login" ? matchRoute(routes, path) || matchRoute(routes, "/") : null);
  if (!found) return render(loginScreen);
  const [match, screen] = found;
  loading();
  try {
    await render(() => screen(match, params));
  } catch (error) {
    if (!api.currentUser() && !open) await render(loginScreen);
    else await render(() => [errorBox(error)]);
  }
}

function start() {
  document.getElementById("lang").addEventListener("click", () => {
    setLang(lang() === "fr" ? "en" : "fr");
    route();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("auth:expired", () => go("#/login"));
  // Waiting reports leave when the network is back, and whenever the app starts.
  window.addEventListener("online", () => outbox.flush());
  window.addEventListener("outbox:changed", (event) => {
    const path = location.hash.slice(1) || "/";
    if ((path === "/" || path === "") && event.detail.sent.length + event.detail.refused.length) route();
  });
  route();
  if (api.currentUser()) outbox.flush();
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(document.body.dataset.serviceWorker, { scope: document.body.dataset.scope })
      .catch(() => {}); // the app works without it, it only does not install
  }
}

start();
