// The agents' and managers' screens: the queue (list or map, with its filters) and a report.
import * as api from "./api.js";
import { formatDate, t } from "./i18n.js";
import { createMap, reportMarker } from "./map.js";
import { field, go, h, onSubmit, render, setFlash, showFlash } from "./ui.js";

const STATUSES = [
  "nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "clos", "rejete", "reouvert",
];
const REJECT_REASONS = ["hors_competence", "doublon", "non_fonde", "deja_traite"];
const NEAR_RADIUS_M = 1000;
const DUPLICATE_RADIUS_M = 500;
const DUPLICATE_CHOICES = 15;

// Distance in metres between two points with latitude/longitude (haversine).
function metres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2
    + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.sqrt(h));
}

// Reference lists read once per page load.
let categoriesPromise = null;
let communesPromise = null;
let organisationsPromise = null;
const categories = () => (categoriesPromise ||= api.get("/categories/").catch((e) => { categoriesPromise = null; throw e; }));
const communes = () => (communesPromise ||= api.get("/communes/").catch((e) => { communesPromise = null; throw e; }));
const organisations = () => (organisationsPromise ||= api.get("/organisations/?page_size=200").catch((e) => { organisationsPromise = null; throw e; }));

export function resetReferences() {
  categoriesPromise = communesPromise = organisationsPromise = null;
}

// The phone's position, or a refusal the screen can show.
function position() {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error(t("near.unavailable")));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
      () => reject(new Error(t("near.refused"))),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
    );
  });
}

const FILTERS = ["status", "category", "commune", "overdue", "mine", "near", "view"];

function queueHash(params, changes = {}) {
  const next = new URLSearchParams();
  for (const name of FILTERS) {
    const value = name in changes ? changes[name] : params.get(name);
    if (value) next.set(name, value);
  }
  if (changes.page && changes.page > 1) next.set("page", String(changes.page));
  const text = next.toString();
  return text ? `#/?${text}` : "#/";
}

function apiQuery(params, memberships, here) {
  const status = params.get("status") || "open";
  const query = new URLSearchParams();
  if (status === "open") query.set("open", "true");
  else if (status !== "all") query.set("status", status);
  for (const name of ["category", "commune"]) if (params.get(name)) query.set(name, params.get(name));
  if (params.get("overdue")) query.set("overdue", "true");
  if (params.get("mine")) query.set("assigned_to_me", "true");
  if (here) {
    query.set("latitude", here.latitude.toFixed(6));
    query.set("longitude", here.longitude.toFixed(6));
    query.set("radius", String(NEAR_RADIUS_M));
  }
  // Managers see late tickets first.
  if (memberships.some((m) => m.role === "manager")) query.set("ordering", "due");
  return query;
}

function filtersForm(params, categoryList, communeList) {
  const status = params.get("status") || "open";
  const change = (name) => (e) => {
    const value = e.target.type === "checkbox" ? (e.target.checked ? "1" : "") : e.target.value;
    go(queueHash(params, { [name]: value }));
  };
  const check = (name, label) => h("label", { class: "choice" },
    h("input", { type: "checkbox", name, checked: Boolean(params.get(name)), onchange: change(name) }), " ", label);
  const active = ["category", "commune", "overdue", "mine", "near"].filter((name) => params.get(name)).length;
  // On a phone the status stays in view; the other filters fold under one line.
  return h("form", { class: "filters panel", id: "filters", onsubmit: (e) => e.preventDefault() },
    field("status-filter", t("queue.status"), h("select", { name: "status", onchange: change("status") },
      h("option", { value: "open", selected: status === "open" }, t("queue.open")),
      h("option", { value: "all", selected: status === "all" }, t("queue.all")),
      STATUSES.map((s) => h("option", { value: s, selected: s === status }, t(`status.${s}`))),
    )),
    h("details", { class: "more-filters", open: active > 0 || window.matchMedia("(min-width: 64rem)").matches },
      h("summary", {}, active ? t("queue.more_filters_active", { count: active }) : t("queue.more_filters")),
      h("div", { class: "filters-grid" },
        field("category-filter", t("queue.category"), h("select", { name: "category", onchange: change("category") },
          h("option", { value: "" }, t("queue.any")),
          categoryList.map((c) => h("option", { value: c.slug, selected: c.slug === params.get("category") }, c.name)),
        )),
        field("commune-filter", t("queue.commune"), h("select", { name: "commune", onchange: change("commune") },
          h("option", { value: "" }, t("queue.any")),
          communeList.map((c) => h("option", { value: c.insee_code, selected: c.insee_code === params.get("commune") }, c.name)),
        )),
        h("div", { class: "checks" },
          check("overdue", t("queue.overdue_only")),
          check("mine", t("queue.mine")),
          check("near", t("queue.near", { radius: NEAR_RADIUS_M })),
        ),
      ),
    ),
  );
}

function reportCard(r) {
  return h("li", { class: "card" },
    h("a", { href: `#/signalement/${r.id}`, class: "card-link" },
      h("span", { class: "title" }, `#${r.id} · ${r.category.name}`),
      h("span", { class: "meta" },
        h("span", { class: `badge status-${r.status}` }, t(`status.${r.status}`)),
        r.overdue ? h("span", { class: "badge overdue" }, t("queue.overdue")) : null,
        ` ${r.commune ? r.commune.name : ""} · ${formatDate(r.created_at)}`,
      ),
      h("span", { class: "excerpt" }, r.description),
    ),
  );
}

export async function queueScreen(params) {
  // The account's directions and roles, as /me/ gave them (refreshed when the app starts).
  const memberships = api.currentUser().memberships || [];
  if (!memberships.length) {
    return [h("h1", {}, t("queue.title")), h("p", {}, t("queue.none"))];
  }
  const view = params.get("view") === "map" ? "map" : "list";
  let here = null;
  let nearError = null;
  if (params.get("near")) {
    try {
      here = await position();
    } catch (error) {
      nearError = error;
    }
  }
  const number = Math.max(1, Number(params.get("page")) || 1);
  const query = apiQuery(params, memberships, here);
  // The map shows the largest page the API gives; the list pages through 50 at a time.
  query.set("page_size", view === "map" ? "200" : "50");
  if (view === "list") query.set("page", String(number));
  const [page, categoryList, communeList] = await Promise.all([
    api.get(`/agent/signalements/?${query}`), categories(), communes(),
  ]);

  const tabs = h("nav", { class: "tabs", "aria-label": t("queue.views") },
    h("a", { href: queueHash(params, { view: "" }), "aria-current": view === "list" ? "page" : null }, t("queue.list")),
    h("a", { href: queueHash(params, { view: "map" }), "aria-current": view === "map" ? "page" : null }, t("queue.map")),
  );
  const header = [
    showFlash(),
    h("h1", {}, t("queue.title")),
    h("p", { class: "meta" }, memberships.map((m) => `${m.direction_name} (${t(`role.${m.role}`)})`).join(", ")),
    filtersForm(params, categoryList, communeList),
    nearError ? h("p", { class: "error", role: "alert" }, nearError.message) : null,
    tabs,
    h("p", { class: "meta", id: "queue-count", role: "status" }, t("queue.count", { count: page.count })),
  ];
  if (view === "map") return [...header, await queueMap(page.results, here)];
  return [
    ...header,
    page.results.length ? h("ul", { class: "cards", id: "queue" }, page.results.map(reportCard)) : h("p", { id: "queue-empty" }, t("queue.empty")),
    pager(params, page, number),
  ];
}

async function queueMap(reports, here) {
  const container = h("div", { class: "map", id: "queue-map", role: "region", "aria-label": t("queue.map") });
  // Leaflet measures its container: it is built once the screen is painted.
  requestAnimationFrame(async () => {
    const { L, map } = await createMap(container, { center: here ? [here.latitude, here.longitude] : null, zoom: 15 });
    const markers = reports.map((r) => reportMarker(L, r, {
      link: `#/signalement/${r.id}`, label: `#${r.id} · ${r.category.name} (${t(`status.${r.status}`)})`,
    }).addTo(map));
    if (here) L.circle([here.latitude, here.longitude], { radius: NEAR_RADIUS_M, weight: 1, fill: false }).addTo(map);
    else if (markers.length) map.fitBounds(L.featureGroup(markers).getBounds(), { maxZoom: 16, padding: [20, 20] });
    container.dataset.markers = String(markers.length);
  });
  return container;
}

function pager(params, page, number) {
  const link = (n, label) => h("a", { href: queueHash(params, { page: n }), rel: n > number ? "next" : "prev" }, label);
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

// A thumbnail opens the large photo over the screen; Escape or the button closes it.
function photoThumb(photo, index) {
  const open = () => {
    const close = h("button", { type: "button", class: "close", autofocus: true }, t("photo.close"));
    const dialog = h("dialog", { class: "lightbox", "aria-label": t("photo.large", { n: index + 1 }) },
      h("img", { src: photo.large_url || photo.thumbnail_url, alt: t("photo.large", { n: index + 1 }) }),
      close,
    );
    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => dialog.remove());
    dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
    document.body.append(dialog);
    dialog.showModal();
  };
  return h("button", { type: "button", class: "thumb", onclick: open, "aria-label": t("photo.open", { n: index + 1 }) },
    h("img", { src: photo.thumbnail_url, alt: "", width: 96, height: 96, loading: "lazy" }));
}

// Whether the person works in that direction (with that role, if given).
function memberOf(direction, role = null) {
  return Boolean(direction) && (api.currentUser().memberships || []).some(
    (m) => m.direction === direction.slug && (!role || m.role === role));
}

function reload(id, message) {
  setFlash(message);
  return render(() => detailScreen(id));
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
      await reload(report.id, error);
      return;
    }
    await reload(report.id, t("action.done"));
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
    await reload(report.id, t("note.done"));
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
    await reload(report.id, t("assign.done"));
  });
}

async function transferForm(report) {
  const list = (await organisations()).results;
  const select = h("select", { name: "direction", required: true },
    h("option", { value: "" }, t("transfer.choose")),
    list.map((o) => h("optgroup", { label: o.name },
      o.directions.filter((d) => d.slug !== report.direction?.slug)
        .map((d) => h("option", { value: d.slug }, `${d.name} (${o.name})`)))));
  const reason = h("textarea", { name: "reason", rows: 2, required: true, maxlength: 1000 });
  const form = h("form", { class: "stack", id: "transfer" },
    field("transfer-direction", t("transfer.direction"), select),
    field("transfer-reason", t("transfer.reason"), reason),
    h("button", { type: "submit" }, t("transfer.submit")),
  );
  return onSubmit(form, async () => {
    const moved = await api.post(`/agent/signalements/${report.id}/transfer/`, { direction: select.value, reason: reason.value });
    setFlash(t("transfer.done", { id: report.id, direction: moved.direction ? moved.direction.name : select.value }));
    go("#/");
  });
}

async function categoryForm(report) {
  const list = await categories();
  const select = h("select", { name: "category" },
    list.map((c) => h("option", { value: c.slug, selected: c.slug === report.category.slug }, c.name)));
  const form = h("form", { class: "stack", id: "recategorise" },
    field("category-choice", t("category.category"), select),
    h("button", { type: "submit" }, t("category.submit")),
  );
  return onSubmit(form, async () => {
    const moved = await api.post(`/agent/signalements/${report.id}/category/`, { category: select.value });
    // Routed again: the report may now belong to another direction.
    const mine = memberOf(moved.direction);
    if (mine) {
      await reload(report.id, t("category.done"));
    } else {
      setFlash(t("category.left", { id: report.id, direction: moved.direction ? moved.direction.name : "" }));
      go("#/");
    }
  });
}

// The original is picked among the reports near this one, on a map and as a list.
async function duplicateForm(report) {
  const query = new URLSearchParams({
    latitude: report.latitude.toFixed(6), longitude: report.longitude.toFixed(6),
    radius: String(DUPLICATE_RADIUS_M), page_size: "50",
  });
  // The nearest first, with their distance: the original is usually a few metres away.
  const nearby = (await api.get(`/agent/signalements/?${query}`)).results
    .filter((r) => r.id !== report.id)
    .map((r) => ({ ...r, distance: metres(report, r) }))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, DUPLICATE_CHOICES);
  const form = h("form", { class: "stack", id: "duplicate" });
  if (!nearby.length) {
    form.append(h("p", { class: "meta" }, t("duplicate.none", { radius: DUPLICATE_RADIUS_M })));
    return form;
  }
  const container = h("div", { class: "map small", id: "duplicate-map", role: "region", "aria-label": t("duplicate.map") });
  const choices = h("fieldset", { class: "choices" },
    h("legend", {}, t("duplicate.original")),
    nearby.map((r) => h("label", { class: "choice" },
      h("input", { type: "radio", name: "original", value: r.id, required: true }),
      ` #${r.id} · ${r.category.name} · ${t(`status.${r.status}`)} · ${formatDate(r.created_at)} · ${t("duplicate.distance", { metres: Math.round(r.distance) })}`)),
  );
  form.append(
    h("p", { class: "meta" }, t("duplicate.help", { radius: DUPLICATE_RADIUS_M, count: DUPLICATE_CHOICES })),
    container, choices,
    h("button", { type: "submit" }, t("duplicate.submit")),
  );
  requestAnimationFrame(async () => {
    const { L, map } = await createMap(container, { center: [report.latitude, report.longitude], zoom: 17 });
    L.circleMarker([report.latitude, report.longitude], { radius: 6, color: "#161616", fillOpacity: 1 }).addTo(map);
    for (const r of nearby) {
      const marker = reportMarker(L, r, { link: `#/signalement/${r.id}`, label: `#${r.id} · ${r.category.name}` }).addTo(map);
      marker.on("click", () => {
        const input = choices.querySelector(`input[value="${r.id}"]`);
        input.checked = true;
        input.focus();
      });
    }
  });
  return onSubmit(form, async () => {
    const picked = form.querySelector("input[name=original]:checked");
    if (!picked) throw new api.ApiError(400, { detail: t("duplicate.pick") });
    await api.post(`/agent/signalements/${report.id}/duplicate/`, { original: Number(picked.value) });
    await reload(report.id, t("duplicate.done", { id: picked.value }));
  });
}

function locationMap(report) {
  const container = h("div", { class: "map small", id: "report-map", role: "region", "aria-label": t("detail.location") });
  requestAnimationFrame(async () => {
    const { L, map } = await createMap(container, { center: [report.latitude, report.longitude], zoom: 17 });
    reportMarker(L, report, { link: `#/signalement/${report.id}`, label: `#${report.id}` }).addTo(map);
  });
  return h("section", {}, h("h2", {}, t("detail.location")), container,
    h("p", { class: "meta" }, `${report.latitude.toFixed(5)}, ${report.longitude.toFixed(5)}`));
}

// Collapsed sections keep the screen short on a phone: the status first, the rest on demand.
const more = (title, id, content) => h("details", { class: "panel more", id: `${id}-section` },
  h("summary", {}, title), content);

export async function detailScreen(id) {
  let report;
  try {
    report = await api.get(`/agent/signalements/${id}/`);
  } catch (error) {
    // Another direction's report is not in this queue: the API answers 404.
    if (error instanceof api.ApiError && error.status === 404) {
      return [h("p", {}, h("a", { href: "#/" }, `← ${t("detail.back")}`)),
        h("h1", {}, t("detail.not_found_title")), h("p", { id: "not-found" }, t("detail.not_found"))];
    }
    throw error;
  }
  const isManager = memberOf(report.direction, "manager");
  const answers = Object.entries(report.answers || {});
  const open = (report.allowed_statuses || []).length > 0;
  const [assign, transfer, recategorise, duplicate] = await Promise.all([
    isManager ? assignForm(report) : null,
    open ? transferForm(report) : null,
    open ? categoryForm(report) : null,
    open ? duplicateForm(report) : null,
  ]);
  return [
    h("p", {}, h("a", { href: "#/" }, `← ${t("detail.back")}`)),
    showFlash(),
    h("h1", {}, `#${report.id} · ${report.category.name}`),
    h("p", { class: "meta" },
      h("span", { class: `badge status-${report.status}`, id: "status" }, t(`status.${report.status}`)),
      report.overdue ? h("span", { class: "badge overdue" }, t("queue.overdue")) : null,
      ` ${report.address || ""} ${report.commune ? report.commune.name : ""}`,
      report.direction ? ` · ${report.direction.name}` : "",
    ),
    h("p", {}, report.description),
    shownPhotos(report.photos).length
      ? h("section", {}, h("h2", {}, t("detail.photos")), h("div", { class: "thumbs", id: "photos" }, shownPhotos(report.photos).map(photoThumb)))
      : null,
    h("dl", { class: "facts" },
      h("dt", {}, t("detail.reporter")), h("dd", {}, report.reporter_name || "—"),
      h("dt", {}, t("detail.assigned")), h("dd", { id: "assigned" }, assignedName(report.assigned_to)),
      h("dt", {}, t("detail.due")),
      h("dd", {}, `${t("detail.ack_due")} ${formatDate(report.acknowledge_due_at)}, ${t("detail.resolve_due")} ${formatDate(report.resolve_due_at)}`),
      report.duplicate_of ? [h("dt", {}, t("detail.duplicate_of")), h("dd", {}, h("a", { href: `#/signalement/${report.duplicate_of}` }, `#${report.duplicate_of}`))] : null,
    ),
    answers.length
      ? h("section", {}, h("h2", {}, t("detail.answers")),
        h("dl", { class: "facts" }, answers.map(([k, v]) => [h("dt", {}, k), h("dd", {}, Array.isArray(v) ? v.join(", ") : String(v))])))
      : null,
    transitionForm(report),
    assign,
    noteForm(report),
    locationMap(report),
    transfer ? more(t("transfer.title"), "transfer", transfer) : null,
    recategorise ? more(t("category.title"), "recategorise", recategorise) : null,
    duplicate ? more(t("duplicate.title"), "duplicate", duplicate) : null,
    h("section", {}, h("h2", {}, t("detail.timeline")),
      h("ol", { class: "timeline", id: "timeline" }, [...(report.timeline || [])].reverse().map(timelineEntry))),
  ];
}

function assignedName(assigned) {
  if (!assigned) return t("detail.unassigned");
  return assigned.display_name || assigned.name || String(assigned.id ?? assigned);
}
