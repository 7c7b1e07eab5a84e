// The agents' and managers' screens in a phone-sized Chromium, against a live server with
// the demo data. Run by tests/web/test_browser.py (see support.mjs for what it sets).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import {
  APP_URL, accessible, apiCall, eventually, fitsTheScreen, logIn, newResident, phone, screenshot, tokenFor,
} from "./support.mjs";

// Outside Nîmes's own streets (its services techniques handle those): the roads direction
// of the agglomeration handles potholes here.
const HERE = { latitude: 43.7905, longitude: 4.4311 };

// One registered resident files this file's reports.
let residentPromise = null;
const residentToken = async () => (await (residentPromise ||= newResident("Léo"))).token;

async function categoryId(slug) {
  const { body } = await apiCall("GET", "/categories/");
  return body.find((c) => c.slug === slug).id;
}

// A resident files a report through the API, as the phone app does.
async function fileReport(token, { slug = "chaussee-degradee", description, at = HERE, photo = null } = {}) {
  const form = new FormData();
  form.append("category", String(await categoryId(slug)));
  form.append("description", description);
  form.append("latitude", String(at.latitude));
  form.append("longitude", String(at.longitude));
  if (photo) form.append("photos", new Blob([await readFile(photo)], { type: "image/jpeg" }), "photo.jpg");
  const { status, body } = await apiCall("POST", "/signalements/", { token, form });
  assert.equal(status, 201, JSON.stringify(body));
  return body.id;
}

async function openReport(page, id) {
  await page.goto(`${APP_URL}#/signalement/${id}`);
  await page.locator("h1", { hasText: `#${id}` }).waitFor();
}

async function openFirst(page, status) {
  await page.getByLabel("Statut").selectOption(status);
  await page.waitForURL(new RegExp(`status=${status}`));
  const first = page.locator("#queue .card-link").first();
  await first.waitFor();
  await first.click();
  await page.locator("#transition").waitFor();
}

const allowedMoves = (page) =>
  page.locator("#transition input[name=status]").evaluateAll((inputs) => inputs.map((i) => i.value).sort());

async function inbox(token, reportId) {
  const { body } = await apiCall("GET", "/notifications/?page_size=50", { token });
  return body.results.filter((n) => n.link_type === "signalement" && n.link_id === String(reportId));
}


test("a report filed through the API is acknowledged, then resolved with a photo; the resident's inbox shows both steps", async () => {
  const resident = await residentToken();
  const id = await fileReport(resident, { description: "Nid-de-poule devant l’école, rue de la République." });

  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await fitsTheScreen(page);
  await accessible(page, "the queue");
  await screenshot(page, "agent-queue");

  await openReport(page, id);
  assert.equal((await page.locator("#status").textContent()).trim(), "Nouveau");
  // Only the moves the workflow allows from "nouveau".
  assert.deepEqual(await allowedMoves(page), ["pris_en_compte", "rejete"]);
  await fitsTheScreen(page);
  await accessible(page, "a report");
  await screenshot(page, "agent-detail");

  await page.locator("#transition").getByLabel("Pris en compte").check();
  await page.getByLabel("Message au public (facultatif)").fill("Nous passons jeudi.");
  await page.getByLabel("Note interne, jamais publique (facultatif)").fill("Équipe B");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText("Statut enregistré.").waitFor();
  assert.equal((await page.locator("#status").textContent()).trim(), "Pris en compte");
  const latest = page.locator("#timeline > li").first();
  assert.match(await latest.textContent(), /Pris en compte/);
  assert.match(await latest.textContent(), /Nous passons jeudi\./);
  assert.match(await latest.textContent(), /Équipe B/);
  await screenshot(page, "agent-acknowledged");

  await page.locator("#transition").getByLabel("Résolu").check();
  const photo = page.getByLabel("Photo de l’intervention (facultatif)");
  assert.equal(await photo.getAttribute("accept"), "image/*");
  assert.equal(await photo.getAttribute("capture"), "environment");
  await photo.setInputFiles(process.env.FIX_PHOTO);
  await page.getByLabel("Message au public (facultatif)").fill("C’est réparé.");
  const sent = page.waitForRequest((r) => r.url().endsWith(`/${id}/transition/`) && r.method() === "POST");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  assert.match((await sent).headers()["content-type"], /^multipart\/form-data/);
  await page.locator("#status", { hasText: "Résolu" }).waitFor();
  await page.getByText("Statut enregistré.").waitFor();
  assert.deepEqual(await allowedMoves(page), ["clos"]);
  await screenshot(page, "agent-resolved");
  assert.deepEqual(problems, []);
  await context.close();

  // The resident is told of both steps, with the agent's public messages, never the note.
  const told = await eventually(async () => {
    const items = await inbox(resident, id);
    return items.length >= 2 ? items : null;
  }, "two notifications about the report in the resident's inbox");
  const text = told.map((n) => `${n.title} ${n.body}`).join("\n");
  assert.match(text, /pris en compte/i);
  assert.match(text, /résolu/i);
  assert.match(text, /Nous passons jeudi\./);
  assert.doesNotMatch(text, /Équipe B/);
  const { body: report } = await apiCall("GET", `/signalements/${id}/`, { token: resident });
  assert.equal(report.status, "resolu");
  assert.ok(report.timeline.some((step) => step.status === "resolu" && (step.photos || []).length === 1),
    "the public timeline shows the photo of the fix");
});

test("an agent of another direction cannot open the report", async () => {
  const resident = await residentToken();
  const id = await fileReport(resident, { description: "Chaussée effondrée au carrefour." });
  const { context, page, problems } = await phone();
  await logIn(page, "agent.eau@demo.test");
  await page.locator("#queue, #queue-empty").first().waitFor();
  assert.equal(await page.locator(`#queue a[href="#/signalement/${id}"]`).count(), 0);
  await page.goto(`${APP_URL}#/signalement/${id}`);
  await page.locator("#not-found").waitFor();
  assert.equal(await page.locator("#transition").count(), 0);
  assert.match(await page.locator("body").textContent(), /Signalement introuvable/);
  assert.deepEqual(problems, []);
  await context.close();
});

test("the queue filters by category, commune and lateness, and shows as a map without any other host", async () => {
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await page.getByLabel("Statut").selectOption("all");
  await page.waitForURL(/status=all/);
  await page.getByText("Plus de filtres").click();
  await page.getByLabel("Catégorie").selectOption("chaussee-degradee");
  await page.waitForURL(/category=chaussee-degradee/);
  await page.getByLabel("En retard seulement").check();
  await page.waitForURL(/overdue=1/);
  await page.locator("#queue, #queue-empty").first().waitFor();
  const agent = await tokenFor("agent.voirie@demo.test");
  const { body } = await apiCall("GET", "/agent/signalements/?category=chaussee-degradee&overdue=true&page_size=50", { token: agent });
  assert.equal(await page.locator("#queue-count").textContent(), `${body.count} signalement(s)`);
  const shown = await page.locator("#queue .card-link").evaluateAll((links) => links.map((a) => a.getAttribute("href")));
  assert.deepEqual(shown, body.results.map((r) => `#/signalement/${r.id}`));

  await page.getByRole("link", { name: "Carte" }).click();
  const map = page.locator("#queue-map[data-markers]");
  await map.waitFor();
  assert.equal(Number(await map.getAttribute("data-markers")), Math.min(body.count, 200));
  // The map library and the communes' outlines come from the server itself.
  await page.locator("#queue-map .leaflet-overlay-pane path").first().waitFor();
  await fitsTheScreen(page);
  await accessible(page, "the queue's map");
  await screenshot(page, "agent-map");
  assert.deepEqual(problems, []);
  await context.close();
});

test("near me lists the reports around the phone's position", async () => {
  const resident = await residentToken();
  const far = { latitude: HERE.latitude + 0.001, longitude: HERE.longitude };
  const near = await fileReport(resident, { description: "Trou profond ici.", at: far });
  const { context, page, problems } = await phone({ geolocation: far });
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await page.getByText("Plus de filtres").click();
  await page.getByLabel("Près de moi (1000 m)").check();
  await page.waitForURL(/near=1/);
  await page.locator(`#queue a[href="#/signalement/${near}"]`).waitFor();
  const agent = await tokenFor("agent.voirie@demo.test");
  const { body } = await apiCall("GET", `/agent/signalements/?open=true&latitude=${far.latitude}&longitude=${far.longitude}&radius=1000`, { token: agent });
  assert.equal(await page.locator("#queue-count").textContent(), `${body.count} signalement(s)`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an agent marks a report as a duplicate, picking the original among the nearby ones", async () => {
  const resident = await residentToken();
  const spot = { latitude: HERE.latitude - 0.002, longitude: HERE.longitude + 0.001 };
  const original = await fileReport(resident, { description: "Nid-de-poule, avenue Jean Jaurès.", at: spot });
  const copy = await fileReport(resident, {
    description: "Encore ce trou avenue Jean Jaurès.",
    at: { latitude: spot.latitude + 0.0002, longitude: spot.longitude },
  });
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openReport(page, copy);
  await page.locator("#duplicate-section summary").click();
  await page.locator("#duplicate-map .leaflet-interactive").first().waitFor();
  await page.locator(`#duplicate input[value="${original}"]`).check();
  await fitsTheScreen(page);
  await accessible(page, "picking the original");
  await screenshot(page, "agent-duplicate");
  await page.getByRole("button", { name: "Marquer comme doublon" }).click();
  await page.getByText(`Marqué comme doublon de #${original}.`).waitFor();
  assert.equal(await page.locator(`a[href="#/signalement/${original}"]`).count(), 1);
  const agent = await tokenFor("agent.voirie@demo.test");
  const { body } = await apiCall("GET", `/agent/signalements/${copy}/`, { token: agent });
  assert.equal(body.duplicate_of, original);
  assert.deepEqual(problems, []);
  await context.close();
});

test("an agent re-categorises a report, then transfers another to the competent direction", async () => {
  const resident = await residentToken();
  const first = await fileReport(resident, { description: "De l’eau sort de la chaussée." });
  const second = await fileReport(resident, { description: "Regard d’égout descellé." });
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();

  // A water leak is the water direction's: re-categorised, the report is routed there.
  await openReport(page, first);
  await page.locator("#recategorise-section summary").click();
  await page.getByLabel("Nouvelle catégorie").selectOption("fuite-d-eau");
  await page.getByRole("button", { name: "Changer la catégorie" }).click();
  await page.getByText(`le signalement #${first} est maintenant traité par Direction de l'eau et de l'assainissement`).waitFor();

  await openReport(page, second);
  await page.locator("#transfer-section summary").click();
  await page.getByLabel("Direction compétente").selectOption("nm-eau");
  await page.getByLabel("Motif du transfert").fill("Réseau d’assainissement.");
  await page.getByRole("button", { name: "Transférer" }).click();
  await page.getByText(`Signalement #${second} transféré`).waitFor();
  await page.locator("#queue").waitFor();
  assert.equal(await page.locator(`#queue a[href="#/signalement/${second}"]`).count(), 0);

  const water = await tokenFor("agent.eau@demo.test");
  for (const id of [first, second]) {
    const { status, body } = await apiCall("GET", `/agent/signalements/${id}/`, { token: water });
    assert.equal(status, 200);
    assert.equal(body.direction.slug, "nm-eau");
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("a move refused by the server shows the API's detail, naming both statuses", async () => {
  const { context, page } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openFirst(page, "nouveau");
  // Someone else acknowledges the report while this screen is open.
  const id = page.url().match(/signalement\/(\d+)/)[1];
  const agent = await tokenFor("agent.voirie@demo.test");
  const acknowledge = () => apiCall("POST", `/agent/signalements/${id}/transition/`, { token: agent, json: { status: "pris_en_compte" } });
  assert.equal((await acknowledge()).status, 200);
  const refused = await acknowledge();
  assert.equal(refused.status, 409);

  await page.locator("#transition").getByLabel("Pris en compte").check();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  const error = page.locator("main > [role=alert]");
  await error.waitFor();
  assert.equal((await error.textContent()).trim(), refused.body.detail);
  // The screen now shows the report as it is, and the moves from there.
  assert.equal((await page.locator("#status").textContent()).trim(), "Pris en compte");
  assert.deepEqual(await allowedMoves(page), ["en_cours", "programme", "rejete", "resolu"]);
  await screenshot(page, "agent-refused");
  await context.close();
});

test("a photo opens large over the report and closes again", async () => {
  const resident = await residentToken();
  const id = await fileReport(resident, { description: "Voici la photo du trou.", photo: process.env.FIX_PHOTO });
  const agent = await tokenFor("agent.voirie@demo.test");
  // The worker makes the thumbnail and the large size.
  const photo = await eventually(async () => {
    const { body } = await apiCall("GET", `/agent/signalements/${id}/`, { token: agent });
    return body.photos.find((p) => p.thumbnail_url && p.large_url);
  }, "the photo processed by the task worker", 60);
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openReport(page, id);
  await page.getByRole("button", { name: "Agrandir la photo 1" }).click();
  const dialog = page.locator("dialog.lightbox[open]");
  await dialog.waitFor();
  assert.equal(await dialog.locator("img").getAttribute("src"), photo.large_url);
  // Shown once loaded (a slow machine may still be fetching it when the dialog opens).
  const shown = await dialog.locator("img").evaluate((img) => (img.complete
    ? img.naturalWidth > 0
    : new Promise((resolve) => {
      img.addEventListener("load", () => resolve(img.naturalWidth > 0), { once: true });
      img.addEventListener("error", () => resolve(false), { once: true });
    })));
  assert.ok(shown, "the large photo is shown");
  await screenshot(page, "agent-photo");
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a manager assigns a report to an agent of the direction", async () => {
  const { context, page } = await phone();
  await logIn(page, "manager.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openFirst(page, "pris_en_compte");
  await page.getByLabel("Membre de la direction").selectOption({ label: "Karim B. (agent)" });
  await page.locator("#assign").getByRole("button", { name: "Affecter" }).click();
  await page.getByText("Signalement affecté.").waitFor();
  assert.equal((await page.locator("#assigned").textContent()).trim(), "Karim B.");
  await fitsTheScreen(page);
  await screenshot(page, "manager-assigned");
  await context.close();
});

test("on a desktop the queue uses the width and stays within it", async () => {
  const { context, page, problems } = await phone({ desktop: true });
  await logIn(page, "manager.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await fitsTheScreen(page, 1280);
  await accessible(page, "the queue on a desktop");
  await screenshot(page, "desktop-queue");
  assert.deepEqual(problems, []);
  await context.close();
});

test("an expired access token is refreshed once and the screen still loads", async () => {
  const { context, page } = await phone();
  // Its own login: the refresh token it rotates is not the one other tests keep.
  await logIn(page, "agent.voirie@demo.test", { viaForm: true });
  await page.locator("#queue").waitFor();
  const refreshes = [];
  page.on("request", (request) => {
    if (request.url().endsWith("/auth/token/refresh/")) refreshes.push(request.url());
  });
  const before = await page.evaluate(() => {
    const tokens = JSON.parse(localStorage.getItem("agglo.staff.tokens"));
    const stale = { ...tokens, access: "not-a-valid-token" };
    localStorage.setItem("agglo.staff.tokens", JSON.stringify(stale));
    return tokens.refresh;
  });
  await page.reload();
  await page.locator("#queue").waitFor();
  assert.equal(refreshes.length, 1);
  const after = await page.evaluate(() => JSON.parse(localStorage.getItem("agglo.staff.tokens")));
  assert.notEqual(after.refresh, before);
  assert.notEqual(after.access, "not-a-valid-token");
  await context.close();
});

test("the login screen is accessible, and the toggle switches the interface to English", async () => {
  const { context, page, problems } = await phone();
  await page.goto(APP_URL);
  await page.getByRole("button", { name: "Se connecter" }).waitFor();
  await accessible(page, "the login screen");
  await screenshot(page, "login");
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Log in" }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  assert.deepEqual(problems, []);
  await context.close();
});
