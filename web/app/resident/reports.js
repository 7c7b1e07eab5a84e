// Reporting and following one's reports: the form (kept on the phone until the server has
// it, see outbox.js), "moi aussi" on nearby reports, my reports and a report's page.
import * as api from "../api.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { createMap, reportMarker } from "../map.js";
import { errorBox, field, go, h, onSubmit, setFlash, showFlash, toggleButton } from "../ui.js";
import * as outbox from "./outbox.js";

// Reports of the same category close to the point, each with "moi aussi".
// Only the latest ask paints: the category, the phone and the map may each ask at once.
let nearbyAsked = 0;

async function nearbyList(container, category, position) {
  const ticket = ++nearbyAsked;
  container.replaceChildren();
  if (!category || !position || !navigator.onLine) return;
  let found;
  try {
    // The nearest few: enough to recognise one's problem on a phone's screen.
    const query = new URLSearchParams({ category, latitude: position.latitude, longitude: position.longitude, page_size: 5 });
    found = (await api.get(`/signalements/nearby/?${query}`)).results;
  } catch {
    return; // a hint only: without it the report can still be sent
  }
  if (ticket !== nearbyAsked) return;
  const items = found.map((report) => {
    const state = h("p", { class: "meta", role: "status" });
    const button = h("button", { type: "button", onclick: async () => {
      button.disabled = true;
      try {
        const body = await api.post(`/signalements/${report.id}/follow/`);
        state.textContent = t("res.nearby.supported", { supporters: body.supporters_count });
        button.remove();
      } catch (error) {
        button.disabled = false;
        state.replaceChildren(errorBox(error));
      }
    } }, t("res.nearby.me_too"));
    if (report.following) state.textContent = t("res.nearby.supported", { supporters: report.supporters_count });
    return h("li", { class: "card" },
      h("p", {}, h("strong", {}, `#${report.id} ${report.category?.name || ""}`), " — ", report.description),
      h("p", { class: "meta" }, t("res.nearby.distance", { distance: formatNumber(Math.round(report.distance_m)), supporters: report.supporters_count }),
        " · ", t(`status.${report.status}`)),
      report.following || report.mine ? null : button, state,
    );
  });
  container.append(
    h("h2", {}, t("res.nearby.title")),
    items.length ? h("ul", { class: "cards", id: "nearby-list" }, items) : h("p", { class: "meta" }, t("res.nearby.none")),
  );
}

// The category's questions as form controls; `read()` gives the answers by code.
function questionFields(category) {
  const controls = (category?.questions || []).filter((q) => q.variable).map((q) => {
    const id = `q-${q.code}`;
    const label = q.required ? `${q.description} *` : q.description;
    if (q.datatype === "multivaluelist") {
      const boxes = q.values.map((v) => h("input", { type: "checkbox", name: id, value: v.key }));
      return { q, node: h("fieldset", { class: "stack" }, h("legend", {}, label),
        q.values.map((v, i) => h("label", {}, boxes[i], " ", v.name))),
      read: () => boxes.filter((b) => b.checked).map((b) => b.value) };
    }
    const control = q.datatype === "singlevaluelist"
      ? h("select", { name: id, required: q.required }, h("option", { value: "" }, t("res.report.no_answer")),
        q.values.map((v) => h("option", { value: v.key }, v.name)))
      : q.datatype === "text"
        ? h("textarea", { name: id, rows: 3, required: q.required })
        : h("input", {
          name: id, required: q.required,
          type: q.datatype === "number" ? "number" : q.datatype === "datetime" ? "datetime-local" : "text",
          inputmode: q.datatype === "number" ? "decimal" : null, step: q.datatype === "number" ? "any" : null,
        });
    return { q, node: field(id, label, control), read: () => control.value.trim() };
  });
  return {
    nodes: controls.map((c) => c.node),
    read: () => Object.fromEntries(controls.map((c) => [c.q.code, c.read()]).filter(([, v]) => v !== "" && !(Array.isArray(v) && !v.length))),
    fill: (answers = {}) => {
      for (const c of controls) {
        const value = answers[c.q.code];
        if (value === undefined) continue;
        const node = c.node.querySelector("select, input, textarea");
        if (c.q.datatype === "multivaluelist") c.node.querySelectorAll("input").forEach((b) => { b.checked = [].concat(value).includes(b.value); });
        else node.value = String(value);
      }
    },
  };
}

// The categories, kept on the phone: the form opens in the street with no network.
const CATEGORIES_KEY = "agglo.resident.categories";

async function loadCategories() {
  try {
    const categories = await api.get("/categories/");
    localStorage.setItem(CATEGORIES_KEY, JSON.stringify(categories));
    return categories;
  } catch (error) {
    const kept = localStorage.getItem(CATEGORIES_KEY);
    if (kept && !(error instanceof api.ApiError && error.status < 500)) return JSON.parse(kept);
    throw error;
  }
}

async function reportScreen(params = new URLSearchParams()) {
  const categories = (await loadCategories()).filter((c) => c.is_active !== false);
  // A refused report from the outbox, to correct and send again.
  const editing = params.get("modifier") ? await outbox.find(params.get("modifier")) : null;
  let position = null;
  const category = h("select", { name: "category", required: true },
    h("option", { value: "" }, t("res.report.choose")),
    categories.map((c) => h("option", { value: c.id }, c.name)),
  );
  const description = h("textarea", { name: "description", rows: 4, required: true });
  // iPhones' HEIC photos are taken as they are: the server reads them.
  const photo = h("input", { type: "file", name: "photos", accept: "image/*,.heic,.heif", capture: "environment", multiple: true });
  const questionsBox = h("div", { class: "stack", id: "questions" });
  let questions = questionFields(null);
  const showQuestions = () => {
    questions = questionFields(categories.find((c) => String(c.id) === category.value));
    questionsBox.replaceChildren(...questions.nodes);
  };
  const where = h("p", { class: "meta", id: "where", role: "status" }, t("res.report.no_position"));
  const nearby = h("section", { id: "nearby", "aria-live": "polite" });
  const mapBox = h("div", { class: "map small", id: "report-map", role: "region", "aria-label": t("res.report.map") });
  let marker = null;
  let mapped = null;

  const setPosition = (latitude, longitude) => {
    position = { latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6)) };
    where.textContent = t("res.report.located", { latitude: position.latitude, longitude: position.longitude });
    if (mapped) {
      if (marker) marker.setLatLng([latitude, longitude]);
      else marker = mapped.L.marker([latitude, longitude], { keyboard: false }).addTo(mapped.map);
      mapped.map.setView([latitude, longitude], Math.max(mapped.map.getZoom(), 16));
    }
    nearbyList(nearby, category.value, position);
  };
  // A photo taken on the spot knows where: its GPS places the report when nothing else has.
  photo.addEventListener("change", async () => {
    if (position || !photo.files.length) return;
    try {
      // Loaded when a photo is picked, not with the app (its URL from the page).
      const { gps } = await import(document.body.dataset.photoReader);
      const found = await gps(photo.files[0]);
      if (found && Number.isFinite(found.latitude) && Number.isFinite(found.longitude) && !position) {
        setPosition(found.latitude, found.longitude);
        where.textContent = t("res.report.from_photo", position);
      }
    } catch {
      // No readable GPS in the photo: the phone's position or the map still work.
    }
  });
  category.addEventListener("change", () => {
    showQuestions();
    nearbyList(nearby, category.value, position);
  });
  const refusal = editing?.error ? h("div", { class: "error", role: "alert" },
    h("p", {}, t("res.outbox.refused", { detail: editing.error.detail || "" })),
    editing.photos.length ? h("p", { class: "meta" }, t("res.edit.photos_kept", { count: editing.photos.length })) : null) : null;
  if (editing) {
    category.value = String(editing.category);
    showQuestions();
    questions.fill(editing.answers);
    description.value = editing.description;
    position = { latitude: editing.latitude, longitude: editing.longitude };
    where.textContent = t("res.report.located", position);
  }
  const locate = h("button", { type: "button", onclick: () => {
    where.textContent = t("res.report.locating");
    navigator.geolocation.getCurrentPosition(
      (p) => setPosition(p.coords.latitude, p.coords.longitude),
      () => { where.textContent = t("res.report.geo_failed"); },
      { enableHighAccuracy: true, timeout: 15000 },
    );
  } }, t("res.report.locate"));

  const form = h("form", { class: "stack", novalidate: true, id: "report" },
    field("category", t("res.report.category"), category),
    questionsBox,
    field("description", t("res.report.description"), description),
    field("photo", t("res.report.photo"), photo),
    h("fieldset", { class: "stack" }, h("legend", {}, t("res.report.position")), locate, where, mapBox),
    nearby,
    h("button", { type: "submit", class: "primary" }, t("res.report.submit")),
  );
  onSubmit(form, async () => {
    if (!category.value || !description.value.trim() || !position) {
      form.prepend(h("div", { class: "error", role: "alert" }, h("p", {}, t("res.report.missing"))));
      return;
    }
    // On the phone first, then sent: a lost connection cannot lose it nor file it twice.
    const fields = {
      category: Number(category.value), description: description.value.trim(),
      latitude: position.latitude, longitude: position.longitude, photos: [...photo.files],
      answers: questions.read(),
    };
    if (editing) await outbox.update(editing.key, fields);
    else await outbox.add(fields);
    const { sent } = await outbox.flush();
    setFlash(sent.length ? t("res.outbox.sent") : t("res.outbox.queued"));
    go("#/");
  });
  // The map comes after the form is painted; a tap places the point.
  setTimeout(async () => {
    try {
      mapped = await createMap(mapBox);
      mapped.map.on("click", (event) => setPosition(event.latlng.lat, event.latlng.lng));
      if (position) {
        marker = mapped.L.marker([position.latitude, position.longitude], { keyboard: false }).addTo(mapped.map);
        mapped.map.setView([position.latitude, position.longitude], 16);
      }
    } catch {
      mapBox.hidden = true; // offline at first start: the phone's position still works
    }
  }, 0);
  return [h("h1", {}, t(editing ? "res.edit.title" : "res.report.title")), refusal, form];
}

async function outboxSection() {
  const items = await outbox.list();
  if (!items.length) return null;
  return h("section", { id: "outbox" },
    h("h2", {}, t("res.outbox.title")),
    h("ul", { class: "cards" }, items.map((item) => h("li", { class: "card" },
      h("p", {}, h("strong", {}, item.description)),
      item.state === "refused"
        ? [
          h("div", { class: "error", role: "alert" }, h("p", {}, t("res.outbox.refused", { detail: item.error?.detail || "" }))),
          h("div", { class: "actions" },
            h("a", { class: "button", href: `#/nouveau?modifier=${encodeURIComponent(item.key)}` }, t("res.outbox.edit")),
            h("button", { type: "button", onclick: async () => { await outbox.retry(item.key); await outbox.flush(); go("#/"); } }, t("res.outbox.retry")),
            h("button", { type: "button", onclick: async () => { await outbox.discard(item.key); go("#/"); } }, t("res.outbox.discard"))),
        ]
        : h("p", { class: "meta" }, t("res.outbox.waiting")),
    ))),
  );
}

async function mineScreen() {
  const waiting = await outboxSection();
  let page = null;
  try {
    page = await api.get("/me/signalements/");
  } catch (error) {
    if (error instanceof api.ApiError) throw error;
  }
  const list = page
    ? (page.results.length
      ? h("ul", { class: "cards", id: "mine" }, page.results.map((r) => h("li", { class: "card" },
        h("a", { class: "card-link", href: `#/signalement/${r.id}` }, `#${r.id} ${r.category?.name || ""}`),
        h("p", {}, h("span", { class: `badge status-${r.status}` }, r.status_label || t(`status.${r.status}`)), " · ", formatDate(r.created_at)),
        h("p", { class: "meta" }, r.description),
      )))
      : h("p", { class: "meta" }, t("res.mine.empty")))
    : h("p", { class: "meta", role: "status" }, t("res.mine.offline"));
  return [showFlash(), h("h1", {}, t("res.mine.title")), waiting, list];
}

// Follow or stop following a report (not one's own), for a logged-in resident.
function followButton(report, counter) {
  return toggleButton({
    id: "follow",
    pressed: () => report.following,
    label: (on) => t(on ? "res.detail.unfollow" : "res.detail.follow"),
    toggle: async () => {
      if (report.following) {
        await api.request("DELETE", `/signalements/${report.id}/follow/`); // 204: read the new count
        Object.assign(report, await api.get(`/signalements/${report.id}/`));
      } else {
        Object.assign(report, await api.post(`/signalements/${report.id}/follow/`));
      }
      counter.textContent = t("res.detail.supporters", { count: report.supporters_count });
    },
  });
}

// The reporter reopens a resolved report when the problem is back (within the allowed time).
function reopenForm(report) {
  const message = h("textarea", { name: "public_message", rows: 3 });
  const form = h("form", { class: "stack", id: "reopen", novalidate: true },
    h("h2", {}, t("res.detail.reopen_title")),
    field("reopen-message", t("res.detail.reopen_message"), message),
    h("button", { type: "submit" }, t("res.detail.reopen")));
  onSubmit(form, async () => {
    await api.post(`/signalements/${report.id}/reopen/`, { public_message: message.value.trim() });
    setFlash(t("res.detail.reopened"));
    go(`#/signalement/${report.id}`);
  });
  return form;
}

async function detailScreen(id) {
  const report = await api.get(`/signalements/${id}/`);
  const counter = h("span", { id: "supporters" }, t("res.detail.supporters", { count: report.supporters_count }));
  const user = api.currentUser();
  return [
    showFlash(),
    h("p", {}, h("a", { href: user ? "#/" : "#/carte" }, t(user ? "res.detail.back" : "res.map.back"))),
    h("h1", {}, t("res.detail.title", { id: report.id })),
    h("p", {}, h("span", { class: `badge status-${report.status}` }, report.status_label || t(`status.${report.status}`)),
      " · ", report.category?.name || "", " · ", counter),
    h("p", {}, report.description),
    report.address || report.commune ? h("p", { class: "meta" }, [report.address, report.commune?.name].filter(Boolean).join(", ")) : null,
    user && !report.mine ? h("div", { class: "actions" }, followButton(report, counter)) : null,
    report.photos?.length
      ? [h("h2", {}, t("res.detail.photos")), h("div", { class: "thumbs", id: "photos" }, report.photos.map((p) =>
        p.thumbnail_url
          ? h("a", { href: p.large_url || p.thumbnail_url }, h("img", { src: p.thumbnail_url, alt: t("res.detail.photo", { position: p.position }) }))
          : null))]
      : null,
    h("h2", {}, t("res.detail.timeline")),
    h("ol", { class: "timeline", id: "timeline" }, (report.timeline || []).map((e) => h("li", {},
      h("p", { class: "meta" }, formatDate(e.created_at), e.status ? ` · ${t(`status.${e.status}`)}` : ""),
      e.message ? h("p", {}, e.message) : null,
    ))),
    report.can_reopen ? reopenForm(report) : null,
  ];
}

// The public map: clusters counted by the database below zoom 16, the reports themselves
// from there on, fetched again for each new viewport.
async function mapScreen(params) {
  const box = h("div", { class: "map", id: "public-map", role: "region", "aria-label": t("res.map.title") });
  const status = h("p", { class: "meta", role: "status", id: "map-status" });
  setTimeout(async () => {
    let mapped;
    try {
      // #/carte?lat=..&lon=..&zoom=.. opens on a place (links, shared views).
      const [lat, lon] = [Number(params.get("lat")), Number(params.get("lon"))];
      const center = params.get("lat") && Number.isFinite(lat) && Number.isFinite(lon) ? [lat, lon] : null;
      mapped = await createMap(box, { center, zoom: Math.min(Math.max(Number(params.get("zoom")) || 16, 3), 19) });
    } catch {
      status.textContent = t("res.map.offline");
      return;
    }
    const { L, map } = mapped;
    const layer = L.layerGroup().addTo(map);
    let asked = 0;
    const refresh = async () => {
      const ticket = ++asked;
      const b = map.getBounds();
      const query = new URLSearchParams({
        bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map((v) => v.toFixed(5)).join(","),
        zoom: String(Math.round(map.getZoom())),
      });
      let collection;
      try {
        collection = await api.get(`/signalements/map/?${query}`);
      } catch {
        status.textContent = t("res.map.offline");
        return;
      }
      if (ticket !== asked) return; // a newer viewport was asked meanwhile
      layer.clearLayers();
      let shown = 0;
      for (const feature of collection.features) {
        const [lon, lat] = feature.geometry.coordinates;
        const p = feature.properties;
        if (p.cluster) {
          shown += p.count;
          const icon = L.divIcon({ className: "cluster", html: "", iconSize: [36, 36] });
          const marker = L.marker([lat, lon], { icon, keyboard: false, title: t("res.map.cluster", { count: p.count }) });
          marker.on("add", () => { marker.getElement().textContent = formatNumber(p.count); });
          marker.on("click", () => map.setView([lat, lon], Math.min(map.getZoom() + 2, 18)));
          layer.addLayer(marker);
        } else {
          shown += 1;
          layer.addLayer(reportMarker(L, { ...p, latitude: lat, longitude: lon }, {
            link: `#/signalement/${p.id}`, label: t("res.map.open", { id: p.id }),
          }));
        }
      }
      status.textContent = t("res.map.count", { count: formatNumber(shown) });
    };
    map.on("moveend", refresh);
    refresh();
  }, 0);
  return [h("h1", {}, t("res.map.title")), status, box];
}

// The screens this module adds to the app: [path or pattern, screen, options].
export const routes = [
  ["/nouveau", (_, params) => reportScreen(params)],
  ["/", mineScreen],
];

// A public report and the map need no account.
export const publicRoutes = [
  [/^\/signalement\/(\d+)$/, (match) => detailScreen(Number(match[1]))],
  ["/carte", (_, params) => mapScreen(params)],
];

export const nav = [
  ["#/nouveau", "res.nav.report"],
  ["#/", "res.nav.mine"],
  ["#/carte", "res.nav.map"],
];

export const publicNav = [["#/carte", "res.nav.map"]];
