// Reporting and following one's reports: the form (kept on the phone until the server has
// it, see outbox.js), "moi aussi" on nearby reports, my reports and a report's page.
import * as api from "../api.js";
import { formatDate, formatNumber, t } from "../i18n.js";
import { createMap } from "../map.js";
import { errorBox, field, go, h, onSubmit, setFlash, showFlash } from "../ui.js";
import * as outbox from "./outbox.js";

// Reports of the same category close to the point, each with "moi aussi".
async function nearbyList(container, category, position) {
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

async function reportScreen(params = new URLSearchParams()) {
  const categories = (await api.get("/categories/")).filter((c) => c.is_active !== false);
  // A refused report from the outbox, to correct and send again.
  const editing = params.get("modifier") ? await outbox.find(params.get("modifier")) : null;
  let position = null;
  const category = h("select", { name: "category", required: true },
    h("option", { value: "" }, t("res.report.choose")),
    categories.map((c) => h("option", { value: c.id }, c.name)),
  );
  const description = h("textarea", { name: "description", rows: 4, required: true });
  const photo = h("input", { type: "file", name: "photos", accept: "image/*", capture: "environment", multiple: true });
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
  category.addEventListener("change", () => nearbyList(nearby, category.value, position));
  const refusal = editing?.error ? h("div", { class: "error", role: "alert" },
    h("p", {}, t("res.outbox.refused", { detail: editing.error.detail || "" })),
    editing.photos.length ? h("p", { class: "meta" }, t("res.edit.photos_kept", { count: editing.photos.length })) : null) : null;
  if (editing) {
    category.value = String(editing.category);
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
      if (position) setPosition(position.latitude, position.longitude);
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

async function detailScreen(id) {
  const report = await api.get(`/signalements/${id}/`);
  return [
    h("p", {}, h("a", { href: "#/" }, t("res.detail.back"))),
    h("h1", {}, t("res.detail.title", { id: report.id })),
    h("p", {}, h("span", { class: `badge status-${report.status}` }, report.status_label || t(`status.${report.status}`)),
      " · ", report.category?.name || "", " · ", t("res.detail.supporters", { count: report.supporters_count })),
    h("p", {}, report.description),
    report.address ? h("p", { class: "meta" }, report.address) : null,
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
  ];
}

// The screens this module adds to the app: [path or pattern, screen, options].
export const routes = [
  [/^\/signalement\/(\d+)$/, (match) => detailScreen(Number(match[1]))],
  ["/nouveau", (_, params) => reportScreen(params)],
  ["/", mineScreen],
];

export const nav = [
  ["#/nouveau", "res.nav.report"],
  ["#/", "res.nav.mine"],
];
