// The resident app (/citoyen/) in a phone-sized Chromium: reporting offline through the
// IndexedDB outbox, one report per tap whatever the network does, "moi aussi" on a nearby
// report, my reports, and what makes it installable (manifest, service worker).
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { ORIGIN, accessible, newResident, openResident, eventually, apiCall, fitsTheScreen, phone, screenshot } from "./support.mjs";

const RESIDENT_URL = `${ORIGIN}/citoyen/`;
// Where the roads direction of the agglomeration handles potholes (as in staff.test.mjs).
const HERE = { latitude: 43.7905, longitude: 4.4311 };

async function categoryId(slug) {
  const { body } = await apiCall("GET", "/categories/");
  return body.find((c) => c.slug === slug).id;
}



// One resident files this file's reports, another supports one (registrations are
// throttled like logins); each test finds its own report by its description.
let reporterPromise = null;
const reporter = () => (reporterPromise ||= newResident("Nora"));

const mine = async (token, description) =>
  (await apiCall("GET", "/me/signalements/?page_size=100", { token })).body.results
    .filter((r) => r.description === description);


async function fillReport(page, description) {
  await page.getByLabel("Catégorie").selectOption(String(await categoryId("chaussee-degradee")));
  await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Utiliser ma position" }).click();
  await page.locator("#where", { hasText: "Position :" }).waitFor();
}

test("a report filed with a photo while offline waits on the phone, then is sent once when the network is back", async () => {
  const who = await reporter();
  const { context, page, problems } = await phone({ geolocation: HERE });
  await openResident(page, who, "#/nouveau");
  // The app installs: its manifest is linked and its service worker is ready, scope /citoyen/.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, RESIDENT_URL);
  const manifest = await page.locator("link[rel=manifest]").getAttribute("href");
  assert.equal(manifest, "/citoyen/manifest.webmanifest");
  await page.getByLabel("Catégorie").waitFor();
  await accessible(page, "the report form");
  await fitsTheScreen(page);

  await context.setOffline(true);
  const description = `Nid-de-poule hors réseau ${Date.now()}`;
  await fillReport(page, description);
  // The category's own question, answered offline too.
  await page.getByLabel("Quelle est la taille du trou ?").selectOption("moyen");
  await page.getByLabel("Photo").setInputFiles(process.env.FIX_PHOTO);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.getByText("Signalement enregistré sur ce téléphone").waitFor();
  await page.locator("#outbox", { hasText: description }).waitFor();
  await accessible(page, "my reports with one waiting");
  await fitsTheScreen(page);
  await screenshot(page, "resident-outbox");
  assert.equal((await mine(who.token, description)).length, 0, "nothing reached the server while offline");

  await context.setOffline(false); // the `online` event sends what waits
  await page.locator("#outbox").waitFor({ state: "detached" });
  await page.locator("#mine .card-link").first().waitFor();
  const reports = await eventually(async () => {
    const found = await mine(who.token, description);
    return found.length ? found : null;
  }, "the report reached the server");
  assert.equal(reports.length, 1);
  assert.equal(reports[0].description, description);
  // The photo went with it (processed by the task worker).
  await eventually(async () => (await mine(who.token, description))[0].photos.length === 1, "the photo is kept");
  await accessible(page, "my reports");

  await page.locator("#mine .card-link", { hasText: `#${reports[0].id}` }).click();
  await page.locator("h1", { hasText: `Signalement #${reports[0].id}` }).waitFor();
  await page.locator("#timeline li").first().waitFor();
  await accessible(page, "a report's page");
  await fitsTheScreen(page);
  await screenshot(page, "resident-report");
  assert.deepEqual(reports[0].answers, { taille: "moyen" });

  // On the public map, where it was filed: the map asks the viewport and shows it.
  const answer = page.waitForResponse((r) => r.url().includes("/api/v1/signalements/map/") && r.status() === 200);
  await page.goto(`${RESIDENT_URL}#/carte?lat=${reports[0].latitude}&lon=${reports[0].longitude}&zoom=17`);
  const features = (await (await answer).json()).features;
  assert.ok(features.some((f) => f.properties.id === reports[0].id), "the report is on the map");
  await page.locator("#map-status", { hasText: "dans cette zone" }).waitFor();
  assert.ok(await page.locator("#public-map path.leaflet-interactive").count() >= 1, "points are drawn");
  await accessible(page, "the public map");
  await fitsTheScreen(page);
  await screenshot(page, "resident-map");
  assert.deepEqual(problems, []);
  await context.close();
});

test("the installed app opens with no network and the report written there leaves when it returns", async () => {
  const who = await reporter();
  const { context, page, problems } = await phone({ geolocation: HERE });
  await openResident(page, who, "#/nouveau");
  await page.evaluate(async () => navigator.serviceWorker.ready);
  await page.getByLabel("Catégorie").locator("option").nth(1).waitFor({ state: "attached" });

  // In the street, no network: the app opens from the phone, its categories with it.
  await context.setOffline(true);
  await page.reload();
  await page.getByLabel("Catégorie").locator("option").nth(1).waitFor({ state: "attached" });
  const description = `Écrit sans réseau ${Date.now()}`;
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.locator("#outbox", { hasText: description }).waitFor();
  assert.equal((await mine(who.token, description)).length, 0);

  await context.setOffline(false);
  await page.locator("#outbox").waitFor({ state: "detached" });
  assert.equal((await mine(who.token, description)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a photo that knows where it was taken places the report", async () => {
  const who = await reporter();
  const { context, page, problems } = await phone(); // no position from the phone
  await openResident(page, who, "#/nouveau");
  await page.getByLabel("Catégorie").selectOption(String(await categoryId("chaussee-degradee")));
  const description = `Photo située ${Date.now()}`;
  await page.getByLabel("Description").fill(description);
  await page.getByLabel("Photo").setInputFiles(process.env.FIX_GPS_PHOTO);
  await page.locator("#where", { hasText: "Position de la photo : 43.7905, 4.431111" }).waitFor();
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  const [report] = await eventually(async () => {
    const found = await mine(who.token, description);
    return found.length ? found : null;
  }, "the report reached the server");
  assert.ok(Math.abs(report.latitude - 43.7905) < 1e-5 && Math.abs(report.longitude - 4.431111) < 1e-5,
    `placed where the photo was taken: ${report.latitude}, ${report.longitude}`);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a retry after the server's answer was lost files nothing twice", async () => {
  const who = await reporter();
  // page.route sees the page's own requests only when no service worker stands between.
  const { context, page, problems } = await phone({ geolocation: HERE, serviceWorkers: "block" });
  const keys = [];
  const statuses = [];
  await page.route("**/api/v1/signalements/", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    keys.push(route.request().headers()["idempotency-key"]);
    if (keys.length === 1) {
      // The server files the report and answers; the phone never hears it.
      const answer = await route.fetch();
      statuses.push(answer.status());
      if (answer.status() !== 201) console.log(await answer.text());
      return route.abort("connectionreset");
    }
    return route.continue();
  });
  await openResident(page, who, "#/nouveau");
  const description = `Réponse perdue ${Date.now()}`;
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.locator("#outbox", { hasText: description }).waitFor();
  assert.deepEqual(statuses, [201], "the server filed it and answered");
  assert.equal((await mine(who.token, description)).length, 1, "the server has it, the phone does not know");

  // The network comes back (or the app starts again): the same item is sent again.
  await page.evaluate(() => window.dispatchEvent(new Event("online")));
  await page.locator("#outbox").waitFor({ state: "detached" });
  await page.locator("#mine .card-link").first().waitFor();
  assert.equal(keys.length, 2);
  assert.ok(keys[0] && keys[0] === keys[1], `one Idempotency-Key for both tries: ${keys}`);
  const reports = await mine(who.token, description);
  assert.equal(reports.length, 1, "one report for one tap");
  assert.equal(reports[0].description, description);
  assert.equal(await page.locator("#mine li", { hasText: description }).count(), 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("moi aussi on a nearby report of the same category adds a supporter", async () => {
  const first = await reporter();
  const description = `Trou profond devant l’école ${Date.now()}`;
  const form = new FormData();
  form.append("category", String(await categoryId("chaussee-degradee")));
  form.append("description", description);
  // A few metres from the phone: the nearest of the reports this suite files around HERE.
  form.append("latitude", "43.79062");
  form.append("longitude", "4.43122");
  form.append("photos", new Blob([await readFile(process.env.FIX_PHOTO)], { type: "image/jpeg" }), "photo.jpg");
  const filed = await apiCall("POST", "/signalements/", { token: first.token, form });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const before = (await apiCall("GET", `/signalements/${filed.body.id}/`)).body.supporters_count;

  const who = await newResident("Chloé");
  const { context, page, problems } = await phone({ geolocation: { latitude: 43.7906, longitude: 4.4312 } });
  await openResident(page, who, "#/nouveau");
  await fillReport(page, "Le même trou");
  const card = page.locator("#nearby-list li", { hasText: description });
  await card.waitFor();
  await accessible(page, "the report form with nearby reports");
  await fitsTheScreen(page);
  await screenshot(page, "resident-nearby");
  await card.getByRole("button", { name: "Moi aussi" }).click();
  await card.getByText("Vous soutenez ce signalement").waitFor();
  const after = (await apiCall("GET", `/signalements/${filed.body.id}/`)).body.supporters_count;
  assert.equal(after, before + 1);

  // On the report's page: following it, then not, then again.
  await page.goto(`${RESIDENT_URL}#/signalement/${filed.body.id}`);
  await page.getByRole("button", { name: "Ne plus suivre" }).click();
  await page.locator("#supporters", { hasText: `${before} soutien(s)` }).waitFor();
  assert.equal((await apiCall("GET", `/signalements/${filed.body.id}/`)).body.supporters_count, before);
  await page.getByRole("button", { name: "Suivre ce signalement" }).click();
  await page.locator("#supporters", { hasText: `${before + 1} soutien(s)` }).waitFor();
  await accessible(page, "a report's page, followed");
  // Its reporter sees no follow button on their own report.
  const own = await phone();
  await openResident(own.page, first, `#/signalement/${filed.body.id}`);
  await own.page.locator("#timeline").waitFor();
  assert.equal(await own.page.locator("#follow").count(), 0);
  await own.context.close();
  assert.deepEqual(problems, []);
  await context.close();
});

test("a report the server refuses stays on the phone, shown with the refusal, to correct and send", async () => {
  const who = await reporter();
  const { context, page, problems } = await phone({ geolocation: HERE });
  await openResident(page, who, "#/nouveau");
  const description = `Dépôt sans photo ${Date.now()}`;
  // Illegal dumping needs a photo: the server says so (400), the phone keeps the report.
  await page.getByLabel("Catégorie").selectOption(String(await categoryId("depot-sauvage")));
  await page.getByLabel("Description").fill(description);
  await page.getByRole("button", { name: "Utiliser ma position" }).click();
  await page.locator("#where", { hasText: "Position :" }).waitFor();
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  const waiting = page.locator("#outbox li", { hasText: description });
  await waiting.getByText("Refusé :").waitFor();
  await accessible(page, "a refused report in the outbox");
  await fitsTheScreen(page);
  assert.equal((await mine(who.token, description)).length, 0);

  await waiting.getByRole("link", { name: "Modifier" }).click();
  await page.locator("h1", { hasText: "Corriger le signalement" }).waitFor();
  assert.equal(await page.getByLabel("Description").inputValue(), description);
  await page.getByLabel("Photo").setInputFiles(process.env.FIX_PHOTO);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.getByText("Signalement envoyé").waitFor();
  assert.equal(await page.locator("#outbox").count(), 0);
  assert.equal((await mine(who.token, description)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});

test("a report still waiting when the app is closed is sent when it starts again", async () => {
  const who = await reporter();
  const { context, page, problems } = await phone({ geolocation: HERE, serviceWorkers: "block" });
  // The network fails for every report sent: the phone keeps it.
  const fail = (route) => (route.request().method() === "POST" ? route.abort("internetdisconnected") : route.continue());
  await page.route("**/api/v1/signalements/", fail);
  await openResident(page, who, "#/nouveau");
  const description = `Lampadaire éteint, envoi au redémarrage ${Date.now()}`;
  await fillReport(page, description);
  await page.getByRole("button", { name: "Envoyer le signalement" }).click();
  await page.locator("#outbox", { hasText: description }).waitFor();
  await page.close();
  assert.equal((await mine(who.token, description)).length, 0);

  // Opened again with the network back: the outbox is sent at start.
  const again = await context.newPage();
  again.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  await again.goto(RESIDENT_URL);
  await eventually(async () => (await mine(who.token, description)).length === 1, "sent at start");
  await again.locator("#mine li", { hasText: description }).waitFor();
  // A list painted while the report was leaving is painted again without the outbox.
  await again.locator("#outbox").waitFor({ state: "detached" });
  assert.equal((await mine(who.token, description)).length, 1);
  assert.deepEqual(problems, []);
  await context.close();
});
