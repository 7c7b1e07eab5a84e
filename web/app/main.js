// The staff workspace: hash routes, one screen at a time. What the navigation offers
// follows the person's roles; the API decides what each role may read and do.
import * as agent from "./agent.js";
import * as api from "./api.js";
import * as figures from "./figures.js";
import { lang, setLang, t } from "./i18n.js";
import * as moderation from "./moderation.js";
import { errorBox, go, h, loading, loginForm, moderatedOrganisations, render } from "./ui.js";

const routes = {
  ...moderation.routes,
  ...figures.routes,
};

const works = (user) => (user.memberships || []).length > 0;
const manages = (user) => (user.memberships || []).some((m) => m.role === "manager");

function renderChrome() {
  const user = api.currentUser();
  const nav = document.getElementById("nav");
  // The city's name (APP_NAME) beside its logo, then the workspace's.
  document.getElementById("brand-name").textContent = `${document.body.dataset.appName} · ${t("app.title")}`;
  document.title = `${t("app.title")} — ${document.body.dataset.appName}`;
  const langButton = document.getElementById("lang");
  langButton.textContent = t("lang.switch");
  langButton.lang = lang() === "fr" ? "en" : "fr";
  document.documentElement.lang = lang();
  nav.replaceChildren();
  if (!user) return;
  if (works(user)) nav.append(h("a", { href: "#/" }, t("nav.queue")));
  if (manages(user)) nav.append(h("a", { href: "#/figures" }, t("nav.figures")));
  if (moderatedOrganisations(user).length) nav.append(h("a", { href: "#/moderation" }, t("nav.moderation")));
  nav.append(h("button", {
    type: "button", class: "link",
    onclick: async () => { await api.logout(); go("#/login"); },
  }, t("logout")));
}

function loginScreen() {
  const form = loginForm((user) => {
    agent.resetReferences();
    renderChrome();
    go(!works(user) && moderatedOrganisations(user).length ? "#/moderation" : "#/");
  });
  return [h("h1", {}, t("login.title")), form];
}

async function route() {
  renderChrome();
  const [path, search] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(search || "");
  if (!api.currentUser() || path === "/login") {
    await render(loginScreen);
    return;
  }
  loading();
  const detail = path.match(/^\/signalement\/(\d+)$/);
  try {
    if (detail) await render(() => agent.detailScreen(Number(detail[1])));
    else if (routes[path]) await render(() => routes[path](params));
    else await render(() => agent.queueScreen(params));
  } catch (error) {
    if (!api.currentUser()) await render(loginScreen);
    else await render(() => [errorBox(error)]);
  }
}

async function start() {
  document.getElementById("lang").addEventListener("click", () => {
    setLang(lang() === "fr" ? "en" : "fr");
    agent.resetReferences();
    route();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("auth:expired", () => go("#/login"));
  // The first screen is drawn from the account kept at login; the account as the server
  // knows it now (roles may have changed) redraws the navigation when it arrives.
  const first = route();
  if (api.currentUser()) {
    api.reloadUser().then(renderChrome, () => {
      // Offline or logged out: the screen shows what it can.
    });
  }
  await first;
}

start();
