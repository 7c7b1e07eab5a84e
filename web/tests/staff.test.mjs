// The staff web app in a phone-sized Chromium, against a live server with the demo data.
// Run by tests/web/test_browser.py, which sets APP_URL, CHROMIUM_PATH and SCREENSHOTS_DIR.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { chromium } from "playwright-core";

const APP_URL = process.env.APP_URL;
const SCREENSHOTS = process.env.SCREENSHOTS_DIR || "screenshots";
const PASSWORD = "Nimes-Demo-2026";
mkdirSync(SCREENSHOTS, { recursive: true });

let browser;

before(async () => {
  assert.ok(APP_URL, "APP_URL names the live server's /app/ page");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
});

after(async () => {
  await browser?.close();
});

async function phone() {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-FR",
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(error.message));
  return { context, page, problems };
}

async function logIn(page, email) {
  await page.goto(APP_URL);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
}

async function fitsTheScreen(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page is ${width} px wide at 360 px`);
}

test("an agent acknowledges a new report of its queue and the timeline shows it", async () => {
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await fitsTheScreen(page);
  await page.screenshot({ path: join(SCREENSHOTS, "agent-queue.png"), fullPage: true });

  await openFirst(page, "nouveau");
  assert.equal((await page.locator("#status").textContent()).trim(), "Nouveau");
  // Only the moves the workflow allows from "nouveau".
  const moves = await page.locator("#transition input[name=status]").evaluateAll((inputs) =>
    inputs.map((i) => i.value).sort());
  assert.deepEqual(moves, ["pris_en_compte", "rejete"]);
  await fitsTheScreen(page);
  await page.screenshot({ path: join(SCREENSHOTS, "agent-detail.png"), fullPage: true });

  await page.getByLabel("Pris en compte").check();
  await page.getByLabel("Message au public (facultatif)").fill("Nous passons jeudi.");
  await page.getByLabel("Note interne, jamais publique (facultatif)").fill("Équipe B");
  await page.getByRole("button", { name: "Enregistrer" }).click();

  await page.getByText("Statut enregistré.").waitFor();
  assert.equal((await page.locator("#status").textContent()).trim(), "Pris en compte");
  const latest = page.locator("#timeline > li").first();
  assert.match(await latest.textContent(), /Pris en compte/);
  assert.match(await latest.textContent(), /Nous passons jeudi\./);
  assert.match(await latest.textContent(), /Équipe B/);
  await page.screenshot({ path: join(SCREENSHOTS, "agent-acknowledged.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

test("a moderator rejects a pending contribution with a reason of the charter", async () => {
  const { context, page, problems } = await phone();
  await logIn(page, "moderation@demo.test");
  await page.getByRole("link", { name: "Modération" }).click();
  await page.locator("#moderation").waitFor();
  const before = await page.locator("#moderation form").count();
  assert.ok(before > 0, "the demo has pending contributions");
  await fitsTheScreen(page);
  await page.screenshot({ path: join(SCREENSHOTS, "moderation-queue.png"), fullPage: true });

  const card = page.locator("#moderation form").first();
  const id = await card.getAttribute("data-contribution");
  await card.getByLabel("Motif (charte)").selectOption({ index: 1 });
  await card.getByLabel("Message à l’auteur (facultatif)").fill("Merci de rester sur le sujet.");
  await card.getByRole("button", { name: "Rejeter" }).click();

  await page.getByText("Contribution rejetée.").waitFor();
  assert.equal(await page.locator(`#moderation form[data-contribution="${id}"]`).count(), 0);
  await page.screenshot({ path: join(SCREENSHOTS, "moderation-rejected.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await context.close();
});

async function openFirst(page, status) {
  await page.getByLabel("Statut").selectOption(status);
  await page.waitForURL(new RegExp(`status=${status}`));
  const first = page.locator("#queue .card-link").first();
  await first.waitFor();
  await first.click();
  await page.locator("#transition").waitFor();
}

test("a move refused by the server shows the API's detail, naming both statuses", async () => {
  const { context, page } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openFirst(page, "nouveau");
  // Someone else acknowledges the report while this screen is open.
  const id = page.url().match(/signalement\/(\d+)/)[1];
  const acknowledge = (reportId) =>
    page.evaluate(async (reportId) => {
      const { access } = JSON.parse(localStorage.getItem("agglo.staff.tokens"));
      const res = await fetch(`/api/v1/agent/signalements/${reportId}/transition/`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Accept-Language": "fr",
          "Authorization": `Bearer ${access}`,
        },
        body: JSON.stringify({ status: "pris_en_compte" }),
      });
      return { status: res.status, body: await res.json() };
    }, reportId);
  assert.equal((await acknowledge(id)).status, 200);
  const refused = await acknowledge(id);
  assert.equal(refused.status, 409);

  await page.getByLabel("Pris en compte").check();
  await page.getByRole("button", { name: "Enregistrer" }).click();
  const error = page.locator("main > [role=alert]");
  await error.waitFor();
  assert.equal((await error.textContent()).trim(), refused.body.detail);
  // The screen now shows the report as it is, and the moves from there.
  assert.equal((await page.locator("#status").textContent()).trim(), "Pris en compte");
  const moves = await page.locator("#transition input[name=status]").evaluateAll((inputs) =>
    inputs.map((i) => i.value).sort());
  assert.deepEqual(moves, ["en_cours", "programme", "rejete", "resolu"]);
  await page.screenshot({ path: join(SCREENSHOTS, "agent-refused.png"), fullPage: true });
  await context.close();
});

test("an agent resolves a report with a photo of the fix, sent as multipart", async () => {
  const { context, page, problems } = await phone();
  await logIn(page, "agent.voirie@demo.test");
  await page.locator("#queue").waitFor();
  await openFirst(page, "en_cours");
  await page.getByLabel("Résolu").check();
  const photo = page.getByLabel("Photo de l’intervention (facultatif)");
  assert.equal(await photo.getAttribute("accept"), "image/*");
  assert.equal(await photo.getAttribute("capture"), "environment");
  await photo.setInputFiles(process.env.FIX_PHOTO);
  await page.getByLabel("Message au public (facultatif)").fill("C’est réparé.");
  const sent = page.waitForRequest((r) => r.url().endsWith("/transition/") && r.method() === "POST");
  await page.getByRole("button", { name: "Enregistrer" }).click();
  assert.match((await sent).headers()["content-type"], /^multipart\/form-data/);
  await page.getByText("Statut enregistré.").waitFor();
  assert.equal((await page.locator("#status").textContent()).trim(), "Résolu");
  assert.deepEqual(
    await page.locator("#transition input[name=status]").evaluateAll((i) => i.map((x) => x.value)),
    ["clos"],
  );
  await page.screenshot({ path: join(SCREENSHOTS, "agent-resolved.png"), fullPage: true });
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
  await page.screenshot({ path: join(SCREENSHOTS, "manager-assigned.png"), fullPage: true });
  await context.close();
});

test("an expired access token is refreshed once and the screen still loads", async () => {
  const { context, page } = await phone();
  await logIn(page, "agent.voirie@demo.test");
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

test("the toggle switches the interface to English", async () => {
  const { context, page } = await phone();
  await page.goto(APP_URL);
  await page.getByRole("button", { name: "English" }).click();
  await page.getByRole("button", { name: "Log in" }).waitFor();
  await context.close();
});
