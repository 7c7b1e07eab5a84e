// One's inbox (with the unread count in the bar and links to what each message is about),
// alerts (interests and channels), and account: language, password, data export, deletion;
// and for someone logged out, the password reset request and the reset e-mail's page.
import * as api from "../api.js";
import { formatDate, lang, setLang, t } from "../i18n.js";
import { download, errorBox, field, go, h, onSubmit, setFlash, showFlash } from "../ui.js";

// Where a notification leads inside the app, from the `link_type` and `link_id` the API
// gives (push/links.py): a report's page, a consultation's page (its slug), and for a
// contribution the page of its consultation, found through /contributions/<id>/.
function linkOf(notification, consultationOf) {
  const { link_type: type, link_id: id } = notification;
  if (type === "signalement" || type === "agent-signalement") return `#/signalement/${encodeURIComponent(id)}`;
  if (type === "consultation") return `#/concertation/${encodeURIComponent(id)}`;
  if (type === "contribution") {
    const slug = consultationOf.get(id);
    return slug ? `#/concertation/${encodeURIComponent(slug)}` : "#/concertations";
  }
  return null;
}

// The consultation of each contribution the inbox names (one request per contribution;
// one that can no longer be read leads to the list of consultations).
async function consultationsOf(notifications) {
  const ids = [...new Set(notifications.filter((n) => n.link_type === "contribution").map((n) => n.link_id))];
  const found = await Promise.all(ids.map((id) =>
    api.get(`/contributions/${encodeURIComponent(id)}/`).then((c) => [id, c.consultation], () => [id, null])));
  return new Map(found);
}

// The count in the bar: "Messages (2)".
export async function paintUnread() {
  const link = document.querySelector('#nav a[href="#/messages"]');
  if (!link || !api.currentUser()) return;
  try {
    const { unread_count: unread } = await api.get("/notifications/?page_size=1");
    link.textContent = unread ? t("res.acc.nav.inbox_unread", { count: unread }) : t("res.acc.nav.inbox");
  } catch {
    // Offline: the link stays without its count.
  }
}

async function inboxScreen(params) {
  const cursor = params.get("cursor");
  const page = await api.get(`/notifications/?page_size=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
  const consultationOf = await consultationsOf(page.results);
  const items = page.results.map((n) => {
    const target = linkOf(n, consultationOf);
    const open = async (event) => {
      if (!n.is_read) {
        event.preventDefault();
        await api.post(`/notifications/${n.id}/read/`).catch(() => {});
        go(target);
      }
    };
    const title = h("span", { class: "title" }, n.title);
    return h("li", { class: `card${n.is_read ? "" : " unread"}` },
      target ? h("a", { class: "card-link", href: target, onclick: open }, title) : h("strong", {}, n.title),
      n.body ? h("p", {}, n.body) : null,
      h("p", { class: "meta" }, n.is_read ? null : h("span", { class: "badge" }, t("res.acc.inbox.new")), formatDate(n.created_at)),
      n.is_read ? null : h("button", { type: "button", "aria-label": t("res.acc.inbox.mark_read_named", { title: n.title }), onclick: async (event) => {
        event.target.disabled = true;
        await api.post(`/notifications/${n.id}/read/`).catch((error) => setFlash(error));
        go(location.hash);
      } }, t("res.acc.inbox.mark_read")),
    );
  });
  const readAll = h("button", { type: "button", onclick: async () => {
    readAll.disabled = true;
    await api.post("/notifications/read-all/").catch((error) => setFlash(error));
    go("#/messages");
  } }, t("res.acc.inbox.read_all"));
  return [
    showFlash(),
    h("h1", {}, t("res.acc.inbox.title")),
    h("div", { class: "stack" },
      page.unread_count ? h("div", { class: "actions" }, readAll) : null,
      items.length ? h("ul", { class: "cards", id: "inbox" }, items) : h("p", { class: "meta" }, t("res.acc.inbox.empty")),
      olderLink(page.next),
      h("p", { class: "meta" }, t("res.acc.inbox.channel"))),
  ];
}

// The API's next page is a cursor; the inbox keeps it in its own address.
function olderLink(next) {
  const cursor = next && new URL(next, location.href).searchParams.get("cursor");
  return cursor ? h("p", {}, h("a", { href: `#/messages?cursor=${encodeURIComponent(cursor)}` }, t("res.acc.inbox.older"))) : null;
}

const KINDS = ["my_reports", "new_consultation", "contribution_answers", "restitutions", "meeting_reminders"];

function checkboxes(name, options, chosen) {
  return options.map(([value, label]) => h("label", { class: "check" },
    h("input", { type: "checkbox", name, value, checked: chosen.includes(value) }), " ", label));
}

const checked = (form, name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((b) => b.value);

async function accountScreen() {
  const [me, preferences, communes, themes] = await Promise.all([
    api.get("/me/"), api.get("/me/preferences/"), api.get("/communes/?page_size=100"), api.get("/consultation-themes/"),
  ]);
  const communeList = communes.results || communes;

  const language = h("select", { name: "language" },
    h("option", { value: "fr" }, "Français"), h("option", { value: "en" }, "English"));
  language.value = me.language || lang();
  const languageForm = h("form", { class: "stack", novalidate: true },
    field("language", t("res.acc.language"), language),
    h("button", { type: "submit" }, t("res.acc.save")));
  onSubmit(languageForm, async () => {
    await api.request("PATCH", "/me/", { json: { language: language.value } });
    setLang(language.value);
    setFlash(t("res.acc.saved"));
    go("#/compte");
  });

  const channels = preferences.channels || {};
  const alerts = h("form", { class: "stack", id: "alerts", novalidate: true },
    h("fieldset", { class: "stack" }, h("legend", {}, t("res.acc.alerts.communes")),
      h("details", {}, h("summary", {}, t("res.acc.alerts.choose")),
        checkboxes("communes", communeList.map((c) => [c.insee_code, c.name]), preferences.communes || []))),
    h("fieldset", { class: "stack" }, h("legend", {}, t("res.acc.alerts.themes")),
      checkboxes("themes", themes.map((th) => [th.slug, th.name]), preferences.themes || [])),
    h("h3", {}, t("res.acc.alerts.channels")),
    KINDS.map((kind) => h("fieldset", { class: "checks-inline" }, h("legend", {}, t(`res.acc.kind.${kind}`)),
      checkboxes(`channel-${kind}`, [["push", t("res.acc.channel.push")], ["email", t("res.acc.channel.email")]], channels[kind] || []))),
    h("p", { class: "meta" }, t("res.acc.inbox.channel")),
    h("button", { type: "submit" }, t("res.acc.save")));
  onSubmit(alerts, async () => {
    await api.request("PATCH", "/me/preferences/", { json: {
      communes: checked(alerts, "communes"),
      themes: checked(alerts, "themes"),
      channels: { ...channels, ...Object.fromEntries(KINDS.map((kind) => [kind, checked(alerts, `channel-${kind}`)])) },
    } });
    setFlash(t("res.acc.saved"));
    go("#/compte");
  });

  // Changing the password ends every session, this one too: the app logs in again with it.
  const oldPassword = h("input", { type: "password", name: "old_password", autocomplete: "current-password", required: true });
  const newPassword = h("input", { type: "password", name: "new_password", autocomplete: "new-password", required: true });
  const passwordForm = h("form", { class: "stack", id: "password", novalidate: true },
    field("old_password", t("res.acc.password.old"), oldPassword),
    field("new_password", t("res.acc.password.new"), newPassword),
    h("button", { type: "submit" }, t("res.acc.password.submit")));
  onSubmit(passwordForm, async () => {
    await api.post("/me/password/", { old_password: oldPassword.value, new_password: newPassword.value });
    try {
      await api.login(me.email, newPassword.value);
    } catch {
      await api.logout();
      setFlash(t("res.acc.password.log_in_again"));
      go("#/login");
      return;
    }
    setFlash(t("res.acc.password.changed"));
    go("#/compte");
  });

  const exportButton = h("button", { type: "button", onclick: async () => {
    exportButton.disabled = true;
    exportButton.parentNode.querySelector(".error")?.remove();
    try {
      await download("/me/export/", "mes-donnees.json");
    } catch (error) {
      exportButton.after(errorBox(error));
    } finally {
      exportButton.disabled = false;
    }
  } }, t("res.acc.export"));

  // Deleting takes two taps: the first shows what it does and the button that does it.
  const confirm = h("div", { class: "stack", hidden: true, id: "delete-confirm" },
    h("p", {}, t("res.acc.delete.warning")),
    h("button", { type: "button", class: "danger", onclick: async (event) => {
      event.target.disabled = true;
      try {
        await api.request("DELETE", "/me/");
        await api.logout();
        setFlash(t("res.acc.delete.done"));
        go("#/login");
      } catch (error) {
        event.target.disabled = false;
        confirm.append(errorBox(error));
      }
    } }, t("res.acc.delete.confirm")));
  const deleteButton = h("button", { type: "button", onclick: () => { confirm.hidden = false; deleteButton.hidden = true; } }, t("res.acc.delete"));

  return [
    showFlash(),
    h("h1", {}, t("res.acc.title")),
    h("p", {}, me.email),
    h("section", { class: "panel stack" }, h("h2", {}, t("res.acc.language_title")), languageForm),
    h("section", { class: "panel stack" }, h("h2", {}, t("res.acc.alerts.title")), alerts),
    h("section", { class: "panel stack" }, h("h2", {}, t("res.acc.password.title")), passwordForm),
    h("section", { class: "panel stack" }, h("h2", {}, t("res.acc.data")), h("p", { class: "meta" }, t("res.acc.export_help")), exportButton),
    h("section", { class: "panel stack" }, h("h2", {}, t("res.acc.delete_title")), deleteButton, confirm),
  ];
}

function resetScreen() {
  const email = h("input", { type: "email", name: "email", autocomplete: "email", required: true });
  const done = h("p", { role: "status" });
  const form = h("form", { class: "stack", novalidate: true },
    field("reset-email", t("login.email"), email),
    h("button", { type: "submit", class: "primary" }, t("res.acc.reset.submit")));
  onSubmit(form, async () => {
    await api.request("POST", "/auth/password/reset/", { json: { email: email.value.trim() }, auth: false });
    done.textContent = t("res.acc.reset.sent");
  });
  return [h("h1", {}, t("res.acc.reset.title")), form, done, h("p", {}, h("a", { href: "#/login" }, t("res.login.switch")))];
}

// The page of the reset e-mail's link ({FRONTEND_URL}/reinitialiser-mot-de-passe?uid=&token=).
function resetConfirmScreen(params) {
  const title = h("h1", {}, t("res.acc.reset_confirm.title"));
  if (api.currentUser()) return [title, h("p", {}, t("res.acc.reset_confirm.logged_in")), h("p", {}, h("a", { href: "#/compte" }, t("res.acc.nav.account")))];
  const uid = params.get("uid") || "";
  const token = params.get("token") || "";
  if (!uid || !token) return [title, h("p", {}, t("res.acc.reset_confirm.incomplete")), h("p", {}, h("a", { href: "#/mot-de-passe-oublie" }, t("res.acc.reset.link")))];
  const password = h("input", { type: "password", name: "new_password", autocomplete: "new-password", required: true });
  const form = h("form", { class: "stack", novalidate: true },
    field("reset-new-password", t("res.acc.password.new"), password),
    h("button", { type: "submit", class: "primary" }, t("res.acc.reset_confirm.submit")));
  onSubmit(form, async () => {
    await api.request("POST", "/auth/password/reset/confirm/", { json: { uid, token, new_password: password.value }, auth: false });
    setFlash(t("res.acc.reset_confirm.done"));
    go("#/login");
  });
  return [title, form, h("p", {}, h("a", { href: "#/mot-de-passe-oublie" }, t("res.acc.reset_confirm.again")))];
}

// The web pages the API names in `link_url` ({FRONTEND_URL}/{link_type}/{link_id}): with
// FRONTEND_URL set to this app followed by "#", each one opens the app's own screen.
async function consultationLink(match) {
  location.replace(`#/concertation/${encodeURIComponent(match[1])}`);
  return [];
}

async function contributionLink(match) {
  const contribution = await api.get(`/contributions/${encodeURIComponent(match[1])}/`).catch(() => null);
  location.replace(contribution ? `#/concertation/${encodeURIComponent(contribution.consultation)}` : "#/concertations");
  return [];
}

export const routes = [
  ["/messages", (_, params) => inboxScreen(params)],
  ["/compte", accountScreen],
];

export const publicRoutes = [
  ["/mot-de-passe-oublie", resetScreen],
  ["/reinitialiser-mot-de-passe", (_, params) => resetConfirmScreen(params)],
  [/^\/consultation\/([\w-]+)$/, consultationLink],
  [/^\/contribution\/(\d+)$/, contributionLink],
];

export const nav = [
  ["#/messages", "res.acc.nav.inbox"],
  ["#/compte", "res.acc.nav.account"],
];
