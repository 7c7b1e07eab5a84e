// The staff workspace: hash routes, one screen at a time, built with DOM calls (no innerHTML).
import * as api from "./api.js";
import { formatDate, lang, setLang, t } from "./i18n.js";

const STATUSES = [
  "nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "clos", "rejete", "reouvert",
];
const REJECT_REASONS = ["hors_competence", "doublon", "non_fonde", "deja_traite"];

const main = document.getElementById("main");
let flash = null;

function h(tag, attrs = {}, ...children) {
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

function field(id, label, control) {
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

function errorBox(error) {
  const message = error instanceof api.ApiError ? error.message : t("error.network");
  const fields = error instanceof api.ApiError ? Object.entries(error.fields) : [];
  return h(
    "div", { class: "error", role: "alert" },
    h("p", {}, message),
    fields.length ? h("ul", {}, fields.map(([name, msgs]) => h("li", {}, `${name} : ${[].concat(msgs).join(" ")}`))) : null,
  );
}

function show(...nodes) {
  main.replaceChildren(...nodes.filter(Boolean));
  main.focus();
}

function showFlash() {
  if (!flash) return null;
  const node = flash instanceof Error
    ? errorBox(flash)
    : h("p", { class: "flash", role: "status" }, flash);
  flash = null;
  return node;
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

// Each form is disabled while its request runs, and shows the API's detail when refused.
function onSubmit(form, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    form.querySelector(".error")?.remove();
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

function isModerator(user) {
  return (user.organisation_roles || []).some((r) => r.role === "moderator" || r.role === "admin");
}

function renderChrome() {
  const user = api.currentUser();
  const nav = document.getElementById("nav");
  document.getElementById("brand").textContent = `Agglo citoyen · ${t("app.title")}`;
  const langButton = document.getElementById("lang");
  langButton.textContent = t("lang.switch");
  langButton.lang = lang() === "fr" ? "en" : "fr";
  document.documentElement.lang = lang();
  nav.replaceChildren();
  if (!user) return;
  if ((user.memberships || []).length) nav.append(h("a", { href: "#/" }, t("nav.queue")));
  if (isModerator(user)) nav.append(h("a", { href: "#/moderation" }, t("nav.moderation")));
  nav.append(h("button", {
    type: "button", class: "link",
    onclick: async () => { await api.logout(); go("#/login"); },
  }, t("logout")));
}

// Screens

function loginScreen() {
  const email = h("input", { type: "email", name: "email", autocomplete: "username", required: true });
  const password = h("input", { type: "password", name: "password", autocomplete: "current-password", required: true });
  const form = h("form", { class: "stack", novalidate: true },
    field("email", t("login.email"), email),
    field("password", t("login.password"), password),
    h("button", { type: "submit", class: "primary" }, t("login.submit")),
  );
  onSubmit(form, async () => {
    const user = await api.login(email.value.trim(), password.value);
    renderChrome();
    go(!(user.memberships || []).length && isModerator(user) ? "#/moderation" : "#/");
  });
  return [h("h1", {}, t("login.title")), form];
}

async function queueScreen(params) {
  const directions = (await api.get("/me/directions/")).results;
  if (!directions.length) {
    return [h("h1", {}, t("queue.title")), h("p", {}, t("queue.none"))];
  }
  // The queue opens on the reports still waiting for the direction.
  const status = params.get("status") || "open";
  const number = Math.max(1, Number(params.get("page")) || 1);
  const query = new URLSearchParams({ page_size: "50", page: String(number) });
  if (status === "open") query.set("open", "true");
  else if (status !== "all") query.set("status", status);
  // Managers see late tickets first.
  if (directions.some((d) => d.role === "manager")) query.set("ordering", "due");
  const page = await api.get(`/agent/signalements/?${query}`);

  const select = h("select", {
    name: "status",
    onchange: (e) => go(`#/?status=${e.target.value}`),
  },
    h("option", { value: "open", selected: status === "open" }, t("queue.open")),
    h("option", { value: "all", selected: status === "all" }, t("queue.all")),
    STATUSES.map((s) => h("option", { value: s, selected: s === status }, t(`status.${s}`))),
  );
  const items = page.results.map((r) =>
    h("li", { class: "card" },
      h("a", { href: `#/signalement/${r.id}`, class: "card-link" },
        h("span", { class: "title" }, `#${r.id} · ${r.category.name}`),
        h("span", { class: "meta" },
          h("span", { class: `badge status-${r.status}` }, t(`status.${r.status}`)),
          r.overdue ? h("span", { class: "badge overdue" }, t("queue.overdue")) : null,
          ` ${r.commune ? r.commune.name : ""} · ${formatDate(r.created_at)}`,
        ),
        h("span", { class: "excerpt" }, r.description),
      ),
    ),
  );
  return [
    showFlash(),
    h("h1", {}, t("queue.title")),
    h("p", { class: "meta" }, directions.map((d) => `${d.name} (${t(`role.${d.role}`)})`).join(", ")),
    field("status-filter", t("queue.status"), select),
    h("p", { class: "meta", id: "queue-count" }, t("queue.count", { count: page.count })),
    items.length ? h("ul", { class: "cards", id: "queue" }, items) : h("p", {}, t("queue.empty")),
    pager(page, number, status),
  ];
}

function pager(page, number, status) {
  const link = (n, label) => {
    const query = new URLSearchParams({ status, page: String(n) });
    return h("a", { href: `#/?${query}`, rel: n > number ? "next" : "prev" }, label);
  };
  if (!page.next && !page.previous) return null;
  return h("nav", { class: "buttons pager", "aria-label": t("queue.pages") },
    page.previous ? link(number - 1, `← ${t("queue.previous")}`) : null,
    page.next ? link(number + 1, `${t("queue.next")} →`) : null,
  );
}

function timelineEntry(event) {
  const about = [
    formatDate(event.created_at),
    event.author,
    event.status ? t(`status.${event.status}`) : null,
    event.direction ? event.direction.name || event.direction : null,
  ].filter(Boolean);
  const photos = shownPhotos(event.photos);
  return h("li", { class: `event event-${event.kind}` },
    h("p", { class: "meta" }, about.join(" · ")),
    event.message ? h("p", {}, h("span", { class: "label" }, `${t("detail.public")} : `), event.message) : null,
    event.internal_note ? h("p", { class: "internal" }, h("span", { class: "label" }, `${t("detail.internal")} : `), event.internal_note) : null,
    photos.length ? h("div", { class: "thumbs" }, photos.map(photoThumb)) : null,
  );
}

// A photo still being processed has no thumbnail yet.
const shownPhotos = (photos) => (photos || []).filter((p) => p.thumbnail_url);

function photoThumb(photo) {
  return h("a", { href: photo.large_url || photo.thumbnail_url, target: "_blank", rel: "noopener" },
    h("img", { src: photo.thumbnail_url, alt: "", width: 96, height: 96, loading: "lazy" }));
}

function transitionForm(report) {
  // The server says which moves its workflow allows from the report's status.
  const moves = report.allowed_statuses || [];
  if (!moves.length) return h("p", { class: "meta" }, t("detail.no_moves"));
  const reason = h("select", { name: "reject_reason" },
    REJECT_REASONS.map((r) => h("option", { value: r }, t(`reject.${r}`))));
  const photo = h("input", { type: "file", name: "photo", accept: "image/*", capture: "environment" });
  const reasonField = field("reject-reason", t("action.reject_reason"), reason);
  const photoField = field("fix-photo", t("action.photo"), photo);
  const publicMessage = h("textarea", { name: "public_message", rows: 3, maxlength: 2000 });
  const internalNote = h("textarea", { name: "internal_note", rows: 2, maxlength: 4000 });
  const choices = h("fieldset", { class: "choices" },
    h("legend", {}, t("action.to")),
    moves.map((s, i) => h("label", { class: "choice" },
      h("input", { type: "radio", name: "status", value: s, checked: i === 0 }), " ", t(`status.${s}`))),
  );
  const form = h("form", { class: "stack panel", id: "transition" },
    h("h2", {}, t("action.title")),
    choices, reasonField, photoField,
    field("public-message", t("action.public_message"), publicMessage),
    field("internal-note", t("action.internal_note"), internalNote),
    h("button", { type: "submit", class: "primary" }, t("action.submit")),
  );
  const target = () => form.querySelector("input[name=status]:checked").value;
  const sync = () => {
    reasonField.hidden = target() !== "rejete";
    photoField.hidden = target() !== "resolu";
  };
  choices.addEventListener("change", sync);
  sync();
  onSubmit(form, async () => {
    const body = { status: target(), public_message: publicMessage.value, internal_note: internalNote.value };
    if (body.status === "rejete") body.reject_reason = reason.value;
    const path = `/agent/signalements/${report.id}/transition/`;
    try {
      if (body.status === "resolu" && photo.files.length) {
        const data = new FormData();
        Object.entries(body).forEach(([k, v]) => data.append(k, v));
        data.append("photo", photo.files[0]);
        await api.postForm(path, data);
      } else {
        await api.post(path, body);
      }
    } catch (error) {
      if (!(error instanceof api.ApiError) || error.status !== 409) throw error;
      // The report moved meanwhile: show why, over the report as it is now.
      flash = error;
      await render(() => detailScreen(report.id));
      return;
    }
    flash = t("action.done");
    await render(() => detailScreen(report.id));
  });
  return form;
}

function noteForm(report) {
  const text = h("textarea", { name: "text", rows: 2, required: true, maxlength: 4000 });
  const form = h("form", { class: "stack panel", id: "note" },
    h("h2", {}, t("note.title")),
    field("note-text", t("note.text"), text),
    h("button", { type: "submit" }, t("note.submit")),
  );
  return onSubmit(form, async () => {
    await api.post(`/agent/signalements/${report.id}/notes/`, { text: text.value });
    flash = t("note.done");
    await render(() => detailScreen(report.id));
  });
}

async function assignForm(report) {
  const members = (await api.get(`/directions/${report.direction.slug}/members/?page_size=200`)).results;
  const select = h("select", { name: "agent" },
    members.map((m) => h("option", {
      value: m.id, selected: report.assigned_to && report.assigned_to.id === m.id,
    }, `${m.display_name} (${t(`role.${m.role}`)})`)));
  const form = h("form", { class: "stack panel", id: "assign" },
    h("h2", {}, t("assign.title")),
    field("assign-member", t("assign.member"), select),
    h("button", { type: "submit" }, t("assign.submit")),
  );
  return onSubmit(form, async () => {
    await api.post(`/agent/signalements/${report.id}/assign/`, { agent: Number(select.value) });
    flash = t("assign.done");
    await render(() => detailScreen(report.id));
  });
}

function assignedName(assigned) {
  if (!assigned) return t("detail.unassigned");
  return assigned.display_name || assigned.name || String(assigned.id ?? assigned);
}

async function detailScreen(id) {
  const [report, directions] = await Promise.all([
    api.get(`/agent/signalements/${id}/`),
    api.get("/me/directions/"),
  ]);
  const isManager = directions.results.some(
    (d) => d.role === "manager" && report.direction && d.slug === report.direction.slug);
  const answers = Object.entries(report.answers || {});
  return [
    h("p", {}, h("a", { href: "#/" }, `← ${t("detail.back")}`)),
    showFlash(),
    h("h1", {}, `#${report.id} · ${report.category.name}`),
    h("p", { class: "meta" },
      h("span", { class: `badge status-${report.status}`, id: "status" }, t(`status.${report.status}`)),
      report.overdue ? h("span", { class: "badge overdue" }, t("queue.overdue")) : null,
      ` ${report.address || ""} ${report.commune ? report.commune.name : ""}`,
    ),
    h("p", {}, report.description),
    shownPhotos(report.photos).length
      ? h("section", {}, h("h2", {}, t("detail.photos")), h("div", { class: "thumbs" }, shownPhotos(report.photos).map(photoThumb)))
      : null,
    h("dl", { class: "facts" },
      h("dt", {}, t("detail.reporter")), h("dd", {}, report.reporter_name || "—"),
      h("dt", {}, t("detail.assigned")), h("dd", { id: "assigned" }, assignedName(report.assigned_to)),
      h("dt", {}, t("detail.due")),
      h("dd", {}, `${t("detail.ack_due")} ${formatDate(report.acknowledge_due_at)}, ${t("detail.resolve_due")} ${formatDate(report.resolve_due_at)}`),
    ),
    answers.length
      ? h("section", {}, h("h2", {}, t("detail.answers")),
        h("dl", { class: "facts" }, answers.map(([k, v]) => [h("dt", {}, k), h("dd", {}, Array.isArray(v) ? v.join(", ") : String(v))])))
      : null,
    transitionForm(report),
    isManager ? await assignForm(report) : null,
    noteForm(report),
    h("section", {}, h("h2", {}, t("detail.timeline")),
      h("ol", { class: "timeline", id: "timeline" }, [...(report.timeline || [])].reverse().map(timelineEntry))),
  ];
}

async function moderationScreen() {
  const user = api.currentUser();
  const organisation = (user.organisation_roles || []).find((r) => r.role === "moderator" || r.role === "admin");
  const [page, charter] = await Promise.all([
    api.get("/moderation/contributions/?state=pending&page_size=50"),
    organisation ? api.get(`/organisations/${organisation.organisation}/charter/`) : [],
  ]);
  const cards = page.results.map((c) => {
    const reason = h("select", { name: "reason" },
      h("option", { value: "" }, "—"),
      charter.map((r) => h("option", { value: r.id }, `${r.article} · ${r.label}`)));
    const message = h("textarea", { name: "message", rows: 2, maxlength: 2000 });
    const form = h("form", { class: "stack card", "data-contribution": c.id },
      h("p", { class: "meta" }, t("moderation.by", { name: c.author_name, consultation: c.consultation }), ` · ${formatDate(c.created_at)}`),
      h("p", {}, c.body),
      field(`reason-${c.id}`, t("moderation.reason"), reason),
      field(`message-${c.id}`, t("moderation.message"), message),
      h("div", { class: "buttons" },
        h("button", { type: "submit", value: "publish", class: "primary" }, t("moderation.publish")),
        h("button", { type: "submit", value: "reject", class: "danger" }, t("moderation.reject")),
      ),
    );
    return onSubmit(form, async (submitter) => {
      const action = submitter ? submitter.value : "publish";
      const body = { action, message: message.value };
      if (reason.value) body.reason = Number(reason.value);
      await api.post(`/moderation/contributions/${c.id}/decision/`, body);
      flash = t(action === "reject" ? "moderation.rejected" : "moderation.published");
      await render(moderationScreen);
    });
  });
  return [
    showFlash(),
    h("h1", {}, t("moderation.title")),
    cards.length ? h("div", { class: "cards", id: "moderation" }, cards) : h("p", {}, t("moderation.empty")),
  ];
}

// Routing

// A screen still loading when another is asked for is dropped, not painted over it.
let generation = 0;

async function render(screen) {
  const mine = ++generation;
  const nodes = await screen();
  if (mine === generation) show(...nodes);
}

async function route() {
  renderChrome();
  const [path, search] = (location.hash.slice(1) || "/").split("?");
  const params = new URLSearchParams(search || "");
  if (!api.currentUser()) {
    await render(loginScreen);
    return;
  }
  show(h("p", { class: "meta" }, t("loading")));
  const detail = path.match(/^\/signalement\/(\d+)$/);
  try {
    if (path === "/login") await render(loginScreen);
    else if (detail) await render(() => detailScreen(Number(detail[1])));
    else if (path === "/moderation") await render(moderationScreen);
    else await render(() => queueScreen(params));
  } catch (error) {
    if (!api.currentUser()) await render(loginScreen);
    else await render(() => [errorBox(error)]);
  }
}

async function start() {
  document.getElementById("lang").addEventListener("click", () => {
    setLang(lang() === "fr" ? "en" : "fr");
    route();
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("auth:expired", () => go("#/login"));
  if (api.currentUser()) {
    try {
      await api.reloadUser();
    } catch {
      // Offline or logged out: route() shows what it can.
    }
  }
  await route();
}

start();
