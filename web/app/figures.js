// The managers' screens: the figures of their direction for a period, and its exports.
//
// The figures are the API's public statistics (/stats/signalements/, public reports only,
// computed at most every few minutes); the overdue count is the direction's queue, counted
// now; the exports are the queue's CSV and GeoJSON with the same filters. The API gives
// these to anyone who works in the direction, so the screen covers every direction of the
// person (the navigation offers it to managers).
import * as api from "./api.js";
import { formatDate, formatNumber, lang, t } from "./i18n.js";
import { download, field, go, h, onSubmit } from "./ui.js";

const STATUSES = [
  "nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "clos", "rejete", "reouvert",
];
const PERIODS = ["30d", "90d", "12m", "all", "custom"];
const DEFAULT_PERIOD = "12m";
const FILTERS = ["direction", "period", "since", "until", "category", "commune"];

const locale = () => (lang() === "en" ? "en-GB" : "fr-FR");

// Today's date in Nîmes as YYYY-MM-DD, whatever the phone's zone.
export function today() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date()).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// A calendar date moved by whole days (or months), computed on the calendar, not in hours.
function shift(ymd, { days = 0, months = 0 }) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

const isDate = (value) => /^\d{4}-\d{2}-\d{2}$/.test(value || "");

// The period as calendar days: `since` included, `until` included (null: open-ended).
export function period(params) {
  const chosen = PERIODS.includes(params.get("period")) ? params.get("period") : DEFAULT_PERIOD;
  const now = today();
  if (chosen === "30d") return { chosen, since: shift(now, { days: -30 }), until: null };
  if (chosen === "90d") return { chosen, since: shift(now, { days: -90 }), until: null };
  if (chosen === "12m") return { chosen, since: shift(now, { months: -12 }), until: null };
  if (chosen === "custom") {
    const since = isDate(params.get("since")) ? params.get("since") : null;
    const until = isDate(params.get("until")) ? params.get("until") : null;
    return { chosen, since, until };
  }
  return { chosen, since: null, until: null };
}

// Midnight in the server's zone: the API reads an instant without offset as Europe/Paris.
const midnight = (ymd) => `${ymd}T00:00:00`;

function statsQuery(direction, range, params) {
  const query = new URLSearchParams({ direction });
  if (range.since) query.set("since", midnight(range.since));
  // The last day is included: the API's `until` is exclusive.
  if (range.until) query.set("until", midnight(shift(range.until, { days: 1 })));
  for (const name of ["category", "commune"]) if (params.get(name)) query.set(name, params.get(name));
  return query;
}

// The queue's filters for the same period: created_until is exclusive too.
function queueQuery(direction, range, params) {
  const query = new URLSearchParams({ direction });
  if (range.since) query.set("created_since", midnight(range.since));
  if (range.until) query.set("created_until", midnight(shift(range.until, { days: 1 })));
  for (const name of ["category", "commune"]) if (params.get(name)) query.set(name, params.get(name));
  return query;
}

function figuresHash(params, changes = {}) {
  const next = new URLSearchParams();
  for (const name of FILTERS) {
    const value = name in changes ? changes[name] : params.get(name);
    if (value) next.set(name, value);
  }
  const text = next.toString();
  return text ? `#/figures?${text}` : "#/figures";
}

// Hours as people say them: minutes under an hour, hours under two days, then days.
export function duration(hours) {
  if (hours === null || hours === undefined) return t("figures.no_data");
  const unit = (value, name, digits) => formatNumber(value, {
    style: "unit", unit: name, unitDisplay: "long", maximumFractionDigits: digits,
  });
  if (hours < 1) return unit(Math.round(hours * 60), "minute", 0);
  if (hours < 48) return unit(hours, "hour", 1);
  return unit(hours / 24, "day", 1);
}

const percent = (share) => formatNumber(share, { style: "percent", maximumFractionDigits: 0 });

function day(ymd) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeZone: "UTC" })
    .format(new Date(Date.UTC(y, m - 1, d)));
}

function periodText(range) {
  if (range.since && range.until) return t("figures.period_between", { since: day(range.since), until: day(range.until) });
  if (range.since) return t("figures.period_since", { since: day(range.since) });
  if (range.until) return t("figures.period_until", { until: day(range.until) });
  return t("figures.period_ever");
}

function filtersForm(params, range, directions, direction, categoryList, communeList) {
  const change = (name) => (e) => {
    const changes = { [name]: e.target.value };
    // Custom dates start from the period shown, so that choosing "custom" changes nothing yet.
    if (name === "period" && e.target.value === "custom") {
      Object.assign(changes, { since: range.since || "", until: range.until || "" });
    } else if (name === "period") {
      Object.assign(changes, { since: "", until: "" });
    }
    go(figuresHash(params, changes));
  };
  const select = (id, name, label, options) => field(id, label,
    h("select", { name, onchange: change(name) }, options));
  return h("form", { class: "filters panel figures-filters", id: "figures-filters", onsubmit: (e) => e.preventDefault() },
    h("h2", { class: "visually-hidden" }, t("queue.filters")),
    directions.length > 1
      ? select("figures-direction", "direction", t("figures.direction"),
        directions.map((d) => h("option", { value: d.slug, selected: d.slug === direction.slug }, `${d.name} (${d.organisation_name})`)))
      : null,
    select("figures-period", "period", t("figures.period"),
      PERIODS.map((p) => h("option", { value: p, selected: p === range.chosen }, t(`figures.period.${p}`)))),
    range.chosen === "custom"
      ? h("div", { class: "figures-dates" },
        field("figures-since", t("figures.since"), h("input", { type: "date", name: "since", value: range.since || "", max: today(), onchange: change("since") })),
        field("figures-until", t("figures.until"), h("input", { type: "date", name: "until", value: range.until || "", max: today(), onchange: change("until") })))
      : null,
    select("figures-category", "category", t("queue.category"), [
      h("option", { value: "" }, t("queue.any")),
      categoryList.map((c) => h("option", { value: c.slug, selected: c.slug === params.get("category") }, c.name)),
    ]),
    select("figures-commune", "commune", t("queue.commune"), [
      h("option", { value: "" }, t("queue.any")),
      communeList.map((c) => h("option", { value: c.insee_code, selected: c.insee_code === params.get("commune") }, c.name)),
    ]),
  );
}

function summary(stats, overdue, overdueLink) {
  const item = (id, label, value, note) => h("div", { class: "figure" },
    h("dt", {}, label),
    h("dd", { id }, value),
    note ? h("dd", { class: "meta" }, note) : null);
  const share = stats.resolved_within_target_share;
  return h("dl", { class: "figures-summary", id: "figures-summary" },
    item("figures-total", t("figures.total"), formatNumber(stats.total)),
    item("figures-resolved", t("figures.resolved"), formatNumber(stats.resolved)),
    item("figures-within", t("figures.within_target"), share === null ? t("figures.no_data") : percent(share),
      t("figures.within_target_note")),
    item("figures-overdue", t("figures.overdue"), formatNumber(overdue),
      overdueLink ? h("a", { href: overdueLink }, t("figures.overdue_link")) : t("figures.overdue_note")),
  );
}

function delays(stats, category) {
  // The category's target sits under the row's name: a fourth column does not fit 360 px.
  const row = (id, label, figures, target) => h("tr", { id },
    h("th", { scope: "row" }, label,
      category ? h("span", { class: "target" }, t("figures.target", {
        target: target === null || target === undefined ? t("figures.no_target") : duration(target),
      })) : null),
    h("td", { class: "median" }, duration(figures.median)),
    h("td", { class: "p90" }, duration(figures.p90)),
  );
  return h("table", { class: "figures-table", id: "figures-delays" },
    h("caption", {}, t("figures.delays")),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, t("figures.delay"))),
      h("th", { scope: "col" }, t("figures.median")),
      h("th", { scope: "col" }, t("figures.p90")),
    )),
    h("tbody", {},
      row("delay-acknowledge", t("figures.to_acknowledge"), stats.hours_to_acknowledge, category?.hours_to_acknowledge),
      row("delay-resolve", t("figures.to_resolve"), stats.hours_to_resolve,
        category && category.days_to_resolve !== null ? category.days_to_resolve * 24 : null),
    ),
  );
}

function byStatus(stats) {
  const total = stats.total;
  return h("table", { class: "figures-table", id: "figures-status" },
    h("caption", {}, t("figures.by_status")),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("queue.status")),
      h("th", { scope: "col", class: "number" }, t("figures.count")),
      h("th", { scope: "col" }, t("figures.share")),
    )),
    h("tbody", {}, STATUSES.map((s) => {
      const n = stats.by_status[s] ?? 0;
      const share = total ? n / total : 0;
      // The bar is painted by its own background (a percentage of its final width), its
      // share set through the CSSOM, which a Content-Security-Policy on style attributes allows.
      const bar = h("span", { class: "bar", "aria-hidden": "true" });
      bar.style.setProperty("--share", `${(share * 100).toFixed(1)}%`);
      return h("tr", { "data-status": s },
        h("th", { scope: "row" }, t(`status.${s}`)),
        h("td", { class: "number" }, formatNumber(n)),
        h("td", { class: "share" }, h("div", {},
          bar,
          h("span", { class: "share-text" }, percent(share)))),
      );
    })),
  );
}

function exportText(range) {
  if (range.since && range.until) return t("figures.export_between", { since: day(range.since), until: day(range.until) });
  if (range.since) return t("figures.export_since", { since: day(range.since) });
  if (range.until) return t("figures.export_until", { until: day(range.until) });
  return t("figures.export_all");
}

function exportForm(direction, range, params) {
  const query = queueQuery(direction.slug, range, params);
  const semicolon = h("input", { type: "checkbox", name: "semicolon", id: "export-semicolon" });
  const done = h("p", { class: "meta", role: "status", id: "export-done" });
  const form = h("form", { class: "stack panel", id: "figures-export" },
    h("h2", {}, t("figures.export")),
    h("p", { class: "meta", id: "export-scope" }, exportText(range)),
    h("label", { class: "choice", for: "export-semicolon" }, semicolon, " ", t("figures.semicolon")),
    h("div", { class: "buttons" },
      h("button", { type: "submit", value: "csv", class: "primary" }, t("figures.export_csv")),
      h("button", { type: "submit", value: "geojson" }, t("figures.export_geojson")),
    ),
    done,
  );
  return onSubmit(form, async (submitter) => {
    const format = submitter && submitter.value === "geojson" ? "geojson" : "csv";
    const q = new URLSearchParams(query);
    if (format === "csv" && semicolon.checked) q.set("separator", "semicolon");
    const filename = `signalements-${direction.slug}-${today()}.${format}`;
    done.textContent = "";
    await download(`/agent/signalements/export/${format}/?${q}`, filename);
    done.textContent = t("figures.exported", { filename });
  });
}

export async function figuresScreen(params) {
  const directions = (await api.get("/me/directions/")).results;
  if (!directions.length) return [h("h1", {}, t("figures.title")), h("p", {}, t("queue.none"))];
  // Managed directions come first: they are what the screen is for.
  const ordered = [...directions].sort((a, b) => (b.role === "manager") - (a.role === "manager"));
  const direction = ordered.find((d) => d.slug === params.get("direction")) || ordered[0];
  const range = period(params);
  const overdueQuery = queueQuery(direction.slug, { since: null }, params);
  overdueQuery.set("overdue", "true");
  overdueQuery.set("page_size", "1");
  const [stats, overdue, categoryList, communeList] = await Promise.all([
    api.get(`/stats/signalements/?${statsQuery(direction.slug, range, params)}`),
    api.get(`/agent/signalements/?${overdueQuery}`),
    api.get("/categories/"),
    api.get("/communes/"),
  ]);
  const category = categoryList.find((c) => c.slug === params.get("category")) || null;
  // The queue screen does not filter by direction: its link is exact for one direction only.
  const overdueLink = directions.length === 1
    ? `#/?${new URLSearchParams([["overdue", "1"],
      ...["category", "commune"].filter((n) => params.get(n)).map((n) => [n, params.get(n)])])}`
    : null;
  return [
    h("h1", {}, t("figures.title")),
    h("p", { class: "meta", id: "figures-direction-name" }, `${direction.name} · ${direction.organisation_name}`),
    filtersForm(params, range, ordered, direction, categoryList, communeList),
    h("section", { class: "figures", id: "figures", "aria-labelledby": "figures-heading" },
      h("h2", { id: "figures-heading" }, periodText(range)),
      summary(stats, overdue.count, overdueLink),
      delays(stats, category),
      byStatus(stats),
      h("p", { class: "meta" }, t("figures.public_only")),
      h("p", { class: "meta" }, `${t("figures.computed_at")} `,
        h("time", { datetime: stats.computed_at, id: "figures-computed-at" }, formatDate(stats.computed_at)),
        `. ${t("figures.cached")}`),
    ),
    exportForm(direction, range, params),
  ];
}

// Routes of this part: hash path -> screen (params are the hash's query).
export const routes = {
  "/figures": (params) => figuresScreen(params),
};
