// What every screen is built with: DOM calls (no innerHTML), forms that show the API's
// refusals, one message carried to the next screen, and screens painted one at a time.
import * as api from "./api.js";
import { t } from "./i18n.js";

export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else if (value === true) node.setAttribute(name, "");
    else node.setAttribute(name, value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function field(id, label, control) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

export function errorBox(error) {
  const message = error instanceof api.ApiError ? error.message : t("error.network");
  // The API's detail often names the first field's message already: list only the others.
  const fields = (error instanceof api.ApiError ? Object.entries(error.fields) : [])
    .map(([name, msgs]) => [name, [].concat(msgs).filter((m) => typeof m === "string" && !message.includes(m))])
    .filter(([, msgs]) => msgs.length);
  return h(
    "div", { class: "error", role: "alert" },
    h("p", {}, message),
    fields.length ? h("ul", {}, fields.map(([name, msgs]) => h("li", {}, `${name} : ${msgs.join(" ")}`))) : null,
  );
}

// A message (or a refusal) shown at the top of the next screen painted.
let flash = null;

export function setFlash(value) {
  flash = value;
}

export function showFlash() {
  if (!flash) return null;
  const node = flash instanceof Error
    ? errorBox(flash)
    : h("p", { class: "flash", role: "status" }, flash);
  flash = null;
  return node;
}

export function go(hash) {
  if (location.hash === hash) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = hash;
}

// Each form is disabled while its request runs, and shows the API's detail when refused.
export function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    form.querySelector(":scope > .error")?.remove();
    try {
      await action(event.submitter);
    } catch (error) {
      form.prepend(errorBox(error));
      if (!(error instanceof api.ApiError)) console.error(error);
    } finally {
      buttons.forEach((b) => (b.disabled = false));
    }
  });
  return form;
}

function show(...nodes) {
  const main = document.getElementById("main");
  main.replaceChildren(...nodes.flat().filter(Boolean));
  main.focus({ preventScroll: false });
  window.scrollTo(0, 0);
}

// A screen still loading when another is asked for is dropped, not painted over it.
let generation = 0;

export async function render(screen) {
  const mine = ++generation;
  const nodes = await screen();
  if (mine === generation) show(...[].concat(nodes));
  return mine === generation;
}

export function loading() {
  show(h("p", { class: "meta", role: "status" }, t("loading")));
}

// A file the API answers behind the token, saved as a download.
export async function download(path, filename) {
  const blob = await api.getBlob(path);
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Moderators are named by their organisation role; admins of an organisation moderate too.
export function moderatedOrganisations(user) {
  return (user.organisation_roles || []).filter((r) => r.role === "moderator" || r.role === "admin");
}

// The login form both apps show; `then(user)` runs once the tokens are kept.
export function loginForm(then) {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "stack", novalidate: true },
    field("email", t("login.email"), email),
    field("password", t("login.password"), password),
    h("button", { type: "submit", class: "primary" }, t("login.submit")),
  );
  onSubmit(form, async () => then(await api.login(email.value.trim(), password.value)));
  return form;
}

// A button that turns something on or off through the API (follow, support): `pressed()`
// reads the state, `label(on)` names the next move, `toggle()` asks the server; a refusal
// is shown beside it. `ariaPressed` for a button whose label stays the same kind of thing.
export function toggleButton({ id = null, pressed, label, toggle, ariaPressed = false }) {
  const button = h("button", { type: "button", id });
  const paint = () => {
    button.textContent = label(pressed());
    if (ariaPressed) button.setAttribute("aria-pressed", String(Boolean(pressed())));
  };
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await toggle();
      paint();
    } catch (error) {
      button.after(errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  paint();
  return button;
}
