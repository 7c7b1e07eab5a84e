// The managers' figures and exports, checked against what the API answers for the same
// filters at the same moment (other test files change the demo data meanwhile).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import {
  accessible, APP_URL, apiCall, fitsTheScreen, logIn, PASSWORD, phone, screenshot, tokenFor,
} from "./support.mjs";

const MANAGER = "manager.voirie@demo.test";
const AGENT = "agent.voirie@demo.test";
const STATUSES = ["nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "clos", "rejete", "reouvert"];
const CSV_HEADER = "id,created_at,status,category,commune,insee,direction,address,latitude,longitude,description,assigned_to,acknowledge_due_at,resolve_due_at";

// The screen's words, written here again so that a wrong figure on the screen fails.
const fr = (value, options = {}) => new Intl.NumberFormat("fr-FR", options).format(value);
const unit = (value, name, digits) => fr(value, { style: "unit", unit: name, unitDisplay: "long", maximumFractionDigits: digits });
function duration(hours) {
  if (hours === null) return "pas de données";
  if (hours < 1) return unit(Math.round(hours * 60), "minute", 0);
  if (hours < 48) return unit(hours, "hour", 1);
  return unit(hours / 24, "day", 1);
}
const percent = (share) => fr(share, { style: "percent", maximumFractionDigits: 0 });
const squash = (text) => text.replace(/\s+/g, " ").trim();

// Dates as the screen counts them: calendar days in Nîmes, a period starting at midnight.
function today() {
  const p = Object.fromEntries(new Intl.DateTimeFormat("en-CA", {
    timeZone: "Europe/Paris", year: "numeric", month: "2-digit", day: "2-digit",
  }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
function shift(ymd, { days = 0, months = 0 }) {
  const [y, m, d] = ymd.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1 + months, d + days)).toISOString().slice(0, 10);
}

async function directionOf(token) {
  const { body } = await apiCall("GET", "/me/directions/", { token });
  return body.results[0].slug;
}

// What the API says for these filters, written as the screen must show it.
async function expected(token, direction, { since = null, until = null, category = null } = {}) {
  const stats = new URLSearchParams({ direction });
  const queue = new URLSearchParams({ direction, overdue: "true", page_size: "1" });
  if (since) stats.set("since", `${since}T00:00:00`);
  if (until) stats.set("until", `${shift(until, { days: 1 })}T00:00:00`);
  if (category) {
    stats.set("category", category);
    queue.set("category", category);
  }
  const [figures, overdue] = await Promise.all([
    apiCall("GET", `/stats/signalements/?${stats}`),
    apiCall("GET", `/agent/signalements/?${queue}`, { token }),
  ]);
  assert.equal(figures.status, 200);
  assert.equal(overdue.status, 200);
  const s = figures.body;
  return {
    total: fr(s.total),
    resolved: fr(s.resolved),
    within: s.resolved_within_target_share === null ? "pas de données" : percent(s.resolved_within_target_share),
    overdue: fr(overdue.body.count),
    acknowledge: [duration(s.hours_to_acknowledge.median), duration(s.hours_to_acknowledge.p90)],
    resolve: [duration(s.hours_to_resolve.median), duration(s.hours_to_resolve.p90)],
    byStatus: Object.fromEntries(STATUSES.map((st) => [st, [fr(s.by_status[st]), percent(s.total ? s.by_status[st] / s.total : 0)]])),
    raw: s,
  };
}

async function shown(page) {
  await page.locator("#figures").waitFor();
  return page.evaluate(() => {
    const text = (selector) => document.querySelector(selector).textContent.replace(/\s+/g, " ").trim();
    const cells = (row) => [...document.querySelectorAll(`${row} td`)].map((td) => td.textContent.replace(/\s+/g, " ").trim());
    return {
      total: text("#figures-total"),
      resolved: text("#figures-resolved"),
      within: text("#figures-within"),
      overdue: text("#figures-overdue"),
      acknowledge: cells("#delay-acknowledge"),
      resolve: cells("#delay-resolve"),
      byStatus: Object.fromEntries([...document.querySelectorAll("#figures-status tbody tr")].map((tr) => [
        tr.dataset.status,
        [tr.querySelector(".number").textContent.replace(/\s+/g, " ").trim(), tr.querySelector(".share-text").textContent.replace(/\s+/g, " ").trim()],
      ])),
    };
  });
}

const normalise = (figures) => JSON.parse(JSON.stringify(figures, (key, value) => (typeof value === "string" ? squash(value) : value)));

// The screen and the API agree at one moment; if the data moved between the two reads
// (another test changed a report, a ticket fell overdue), both are read again. When they
// were computed is not compared: without a cache (the test settings) it is every request.
async function screenMatchesApi(page, token, direction, filters) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (attempt) {
      await page.reload();
      await page.locator("#figures").waitFor();
    }
    const screen = normalise(await shown(page));
    const api = await expected(token, direction, filters);
    const { raw, ...wanted } = normalise(api);
    last = { screen, wanted };
    if (JSON.stringify(screen) === JSON.stringify(wanted)) return api.raw;
  }
  assert.deepEqual(last.screen, last.wanted, "the figures on the screen are the API's");
  return null;
}

async function openFigures(page) {
  await page.getByRole("link", { name: "Chiffres" }).click();
  await page.locator("#figures").waitFor();
}

async function periodShown(page, heading) {
  await page.getByRole("heading", { name: heading }).waitFor();
}

const dayFr = (ymd) => new Intl.DateTimeFormat("fr-FR", { dateStyle: "long", timeZone: "UTC" }).format(new Date(`${ymd}T12:00:00Z`));

test("a manager sees the direction's figures as the API gives them, for the period and category chosen", async () => {
  const { context, page, problems } = await phone();
  const token = await tokenFor(MANAGER);
  const direction = await directionOf(token);
  await logIn(page, MANAGER);
  await page.locator("#queue").waitFor();
  await openFigures(page);

  // The default period: the last 12 months.
  const yearAgo = shift(today(), { months: -12 });
  await periodShown(page, `Signalements déposés depuis le ${dayFr(yearAgo)}`);
  const year = await screenMatchesApi(page, token, direction, { since: yearAgo });
  assert.ok(year.total > 0, "the demo's direction has reports this year");
  await fitsTheScreen(page);
  await accessible(page, "figures");
  await screenshot(page, "manager-figures");

  // Since the start: the API answers other figures, and so does the screen.
  await page.getByLabel("Période (date de dépôt)").selectOption("all");
  await periodShown(page, "Tous les signalements déposés");
  const ever = await screenMatchesApi(page, token, direction, {});
  assert.ok(ever.total >= year.total);

  const monthAgo = shift(today(), { days: -30 });
  await page.getByLabel("Période (date de dépôt)").selectOption("30d");
  await periodShown(page, `Signalements déposés depuis le ${dayFr(monthAgo)}`);
  const month = await screenMatchesApi(page, token, direction, { since: monthAgo });
  assert.notEqual(month.total, ever.total, "the demo has reports older than 30 days: the period changes the figures");

  // Chosen dates: both days included, in the figures and in the exports.
  const since = shift(today(), { days: -200 });
  const until = shift(today(), { days: -20 });
  await page.getByLabel("Période (date de dépôt)").selectOption("custom");
  await page.getByLabel("Du (inclus)").waitFor();
  // Chosen dates start from the period shown.
  assert.equal(await page.getByLabel("Du (inclus)").inputValue(), monthAgo);
  await page.getByLabel("Du (inclus)").fill(since);
  await periodShown(page, `Signalements déposés depuis le ${dayFr(since)}`);
  await page.getByLabel("Au (inclus)").fill(until);
  await periodShown(page, `Signalements déposés du ${dayFr(since)} au ${dayFr(until)}`);
  await screenMatchesApi(page, token, direction, { since, until });
  assert.equal(
    squash(await page.locator("#export-scope").textContent()),
    squash(`Tous les signalements de la direction déposés du ${dayFr(since)} au ${dayFr(until)} inclus, avec la catégorie et la commune choisies, publics ou non.`),
  );

  // A category: its targets appear beside the delays.
  await page.getByLabel("Période (date de dépôt)").selectOption("all");
  await periodShown(page, "Tous les signalements déposés");
  await page.getByLabel("Catégorie").selectOption("chaussee-degradee");
  await page.locator("#delay-acknowledge .target").waitFor();
  await screenMatchesApi(page, token, direction, { category: "chaussee-degradee" });
  const categories = (await apiCall("GET", "/categories/")).body;
  const pothole = categories.find((c) => c.slug === "chaussee-degradee");
  assert.equal(squash(await page.locator("#delay-acknowledge .target").textContent()), squash(`objectif : ${duration(pothole.hours_to_acknowledge)}`));
  assert.equal(squash(await page.locator("#delay-resolve .target").textContent()), squash(`objectif : ${duration(pothole.days_to_resolve * 24)}`));
  await fitsTheScreen(page);
  await accessible(page, "figures of a category");

  assert.deepEqual(problems, []);
  await context.close();
});

// The CSV and GeoJSON the screen saves, against the API's export for the same filters and
// the queue's count, read again if another test changed the direction's reports meanwhile.
async function exportMatchesApi(page, token, button, format, filters, read) {
  let last;
  for (let attempt = 0; attempt < 3; attempt++) {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: button }).click(),
    ]);
    const file = await readFile(await download.path(), "utf8");
    const [api, queue] = await Promise.all([
      apiCall("GET", `/agent/signalements/export/${format}/?${filters}`, { token }),
      apiCall("GET", `/agent/signalements/?${filters}&page_size=1`, { token }),
    ]);
    assert.equal(api.status, 200);
    const mine = read(file);
    const theirs = read(typeof api.body === "string" ? api.body : JSON.stringify(api.body));
    last = { download, file, mine, theirs, count: queue.body.count };
    if (JSON.stringify(mine) === JSON.stringify(theirs) && mine.count === queue.body.count) return last;
  }
  assert.deepEqual(last.mine, last.theirs, `${button}: the file is the API's export`);
  assert.equal(last.mine.count, last.count, `${button}: one record per report of the queue`);
  return last;
}

// CSV records, quoted fields with commas and line breaks included.
function csvRecords(text, separator = ",") {
  const records = [];
  let record = [];
  let value = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { value += '"'; i++; } else if (c === '"') quoted = false;
      else value += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) { record.push(value); value = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      record.push(value);
      records.push(record);
      record = [];
      value = "";
    } else value += c;
  }
  if (value || record.length) { record.push(value); records.push(record); }
  return records;
}

test("a manager exports the direction's reports as CSV and GeoJSON with the period chosen", async () => {
  const { context, page, problems } = await phone();
  const token = await tokenFor(MANAGER);
  const direction = await directionOf(token);
  await logIn(page, MANAGER);
  await page.locator("#queue").waitFor();
  await openFigures(page);
  const since = shift(today(), { days: -90 });
  await page.getByLabel("Période (date de dépôt)").selectOption("90d");
  await periodShown(page, `Signalements déposés depuis le ${dayFr(since)}`);
  const filters = new URLSearchParams({ direction, created_since: `${since}T00:00:00` });

  const csv = (text) => {
    const records = csvRecords(text.replace(/^\ufeff/, ""));
    return { header: records[0].join(","), rows: records.slice(1), count: records.length - 1 };
  };
  const got = await exportMatchesApi(page, token, "Exporter en CSV", "csv", filters, csv);
  assert.equal(got.download.suggestedFilename(), `signalements-${direction}-${today()}.csv`);
  assert.ok(got.file.startsWith("\ufeff"), "the CSV keeps its byte order mark (Excel reads it as UTF-8)");
  assert.equal(csv(got.file).header, CSV_HEADER);
  assert.ok(csv(got.file).count > 0, "the demo's direction has reports in 90 days");
  assert.ok(csv(got.file).rows.every((r) => r.length === CSV_HEADER.split(",").length && r[2] && r[1] >= since));
  await page.getByText(`Fichier signalements-${direction}-${today()}.csv enregistré.`).waitFor();

  const geojson = (text) => {
    const collection = JSON.parse(text);
    return { collection, count: collection.features.length };
  };
  const geo = await exportMatchesApi(page, token, "Exporter en GeoJSON", "geojson", filters, geojson);
  assert.equal(geo.download.suggestedFilename(), `signalements-${direction}-${today()}.geojson`);
  const { collection } = geojson(geo.file);
  assert.equal(collection.type, "FeatureCollection");
  for (const feature of collection.features) {
    assert.equal(feature.type, "Feature");
    assert.equal(feature.geometry.type, "Point");
    const [lon, lat] = feature.geometry.coordinates;
    assert.ok(Math.abs(lon) <= 180 && Math.abs(lat) <= 90);
  }

  // An end date: the files stop at it (its day included), although the direction has
  // reports filed after it (the demo's spread over 120 days, and today's from other tests).
  const from = shift(today(), { days: -200 });
  const to = shift(today(), { days: -20 });
  await page.getByLabel("Période (date de dépôt)").selectOption("custom");
  await page.getByLabel("Du (inclus)").fill(from);
  await periodShown(page, `Signalements déposés depuis le ${dayFr(from)}`);
  await page.getByLabel("Au (inclus)").fill(to);
  await periodShown(page, `Signalements déposés du ${dayFr(from)} au ${dayFr(to)}`);
  const open = new URLSearchParams({ direction, created_since: `${from}T00:00:00` });
  const bounded = new URLSearchParams({ ...Object.fromEntries(open), created_until: `${shift(to, { days: 1 })}T00:00:00` });
  const ended = await exportMatchesApi(page, token, "Exporter en CSV", "csv", bounded, csv);
  const { rows } = csv(ended.file);
  assert.ok(rows.length > 0, "the demo's direction has reports in the period");
  assert.ok(rows.every((r) => r[1].slice(0, 10) >= from && r[1].slice(0, 10) <= to), "every report was filed within the period");
  const later = await apiCall("GET", `/agent/signalements/?${open}&page_size=1`, { token });
  assert.ok(later.body.count > rows.length, "reports filed after the end date exist, and stay out of the file");
  const endedGeo = await exportMatchesApi(page, token, "Exporter en GeoJSON", "geojson", bounded, geojson);
  assert.equal(endedGeo.count, rows.length, "the GeoJSON holds the same reports");

  // Semicolons for French Excel, as the API writes them.
  await page.getByLabel("CSV séparé par des points-virgules (Excel en français)").check();
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Exporter en CSV" }).click()]);
  const semicolon = await readFile(await download.path(), "utf8");
  assert.equal(semicolon.replace(/^\ufeff/, "").split(/\r?\n/)[0], CSV_HEADER.replaceAll(",", ";"));

  await fitsTheScreen(page);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an agent has no Figures link; opened by its address, the screen shows what the API gives them", async () => {
  const { context, page, problems } = await phone();
  const token = await tokenFor(AGENT);
  const direction = await directionOf(token);
  await logIn(page, AGENT);
  await page.locator("#queue").waitFor();
  assert.equal(await page.locator("#nav").getByRole("link", { name: "Chiffres" }).count(), 0);
  await page.goto(`${page.url().split("#")[0]}#/figures?period=all`);
  await periodShown(page, "Tous les signalements déposés");
  await screenMatchesApi(page, token, direction, {});
  assert.deepEqual(problems, []);
  await context.close();
});

test("the figures work on a desktop too, in English", async () => {
  const { context, page, problems } = await phone({ desktop: true, locale: "en-GB" });
  await page.goto(APP_URL);
  await page.getByLabel("E-mail address").fill(MANAGER);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.locator("#queue").waitFor();
  await page.getByRole("link", { name: "Figures" }).click();
  await page.getByRole("heading", { name: "The direction’s figures" }).waitFor();
  await page.getByRole("table", { name: "By current status" }).waitFor();
  await page.getByRole("button", { name: "Export as GeoJSON" }).waitFor();
  await fitsTheScreen(page, 1280);
  await accessible(page, "figures on a desktop");
  await screenshot(page, "manager-figures-desktop");
  assert.deepEqual(problems, []);
  await context.close();
});
