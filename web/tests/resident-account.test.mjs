// The resident app's inbox and account (/citoyen/#/messages, #/compte) in a phone-sized
// Chromium: an agent's move shows in the inbox and on the report's page; alerts are saved;
// the account is deleted and its tokens and password stop working.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { ORIGIN, accessible, eventually, apiCall, fitsTheScreen, phone, screenshot, tokenFor } from "./support.mjs";

const RESIDENT_URL = `${ORIGIN}/citoyen/`;
const KEY = "agglo.staff.tokens";
const PASSWORD = "Un-Bon-Mot-2026";


test("an agent's move shows in the inbox and on the report's page; then the resident deletes the account", async () => {
  const email = `compte-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.fr`;
  const registered = await apiCall("POST", "/auth/register/", { json: { email, password: PASSWORD, first_name: "Yanis" } });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const token = registered.body.access;

  // A pothole where the agglomeration's roads direction works (as in staff.test.mjs).
  const category = (await apiCall("GET", "/categories/")).body.find((c) => c.slug === "chaussee-degradee");
  const form = new FormData();
  form.append("category", String(category.id));
  form.append("description", `Nid-de-poule suivi par messages ${Date.now()}`);
  form.append("latitude", "43.7905");
  form.append("longitude", "4.4311");
  form.append("photos", new Blob([await readFile(process.env.FIX_PHOTO)], { type: "image/jpeg" }), "photo.jpg");
  const filed = await apiCall("POST", "/signalements/", { token, form });
  assert.equal(filed.status, 201, JSON.stringify(filed.body));
  const id = filed.body.id;

  const agent = await tokenFor("agent.voirie@demo.test");
  const moved = await apiCall("POST", `/agent/signalements/${id}/transition/`, {
    token: agent, json: { status: "pris_en_compte", public_message: "Une équipe passe cette semaine." },
  });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  // The notification is written by the task worker.
  const [notice] = await eventually(async () => {
    const inbox = (await apiCall("GET", "/notifications/", { token })).body.results;
    return inbox.filter((n) => n.link_type === "signalement" && String(n.link_id) === String(id)).length
      ? inbox.filter((n) => n.link_type === "signalement" && String(n.link_id) === String(id)) : null;
  }, "the resident is notified");

  const { context, page, problems } = await phone();
  await page.addInitScript(([key, session]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, session);
  }, [KEY, JSON.stringify(registered.body)]);
  await page.goto(`${RESIDENT_URL}#/messages`);
  // The bar counts what is unread; the inbox lists the move and leads to the report.
  await page.locator("#nav a", { hasText: /^Messages \(\d+\)$/ }).waitFor();
  const item = page.locator("#inbox li", { hasText: notice.title });
  await item.waitFor();
  await accessible(page, "the inbox");
  await fitsTheScreen(page);
  await screenshot(page, "resident-inbox");
  await item.getByRole("link").click();
  await page.locator("h1", { hasText: `Signalement #${id}` }).waitFor();
  await page.locator("#timeline li", { hasText: "Une équipe passe cette semaine." }).waitFor();
  await page.locator(".badge", { hasText: "Pris en compte" }).first().waitFor();
  const read = (await apiCall("GET", "/notifications/", { token })).body.results.find((n) => n.id === notice.id);
  assert.ok(read.is_read, "opening it marked it read");

  // Alerts: a commune and e-mail for my reports, kept by the API.
  await page.goto(`${RESIDENT_URL}#/compte`);
  await page.getByText("Choisir des communes").click();
  await page.getByLabel("Nîmes", { exact: true }).check();
  const mine = page.locator("fieldset", { hasText: "Suivi de mes signalements" });
  await mine.getByLabel("Par e-mail").check();
  await page.locator("#alerts").getByRole("button", { name: "Enregistrer" }).click();
  await page.getByText("C’est enregistré.").waitFor();
  const preferences = (await apiCall("GET", "/me/preferences/", { token })).body;
  assert.ok(preferences.communes.includes("30189"), JSON.stringify(preferences));
  assert.ok(preferences.channels.my_reports.includes("email"), JSON.stringify(preferences));
  await accessible(page, "the account screen");
  await fitsTheScreen(page);

  // Deleting takes a confirmation, then the account is gone: no token, no login.
  await page.getByRole("button", { name: "Supprimer mon compte…" }).click();
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  await page.getByText("Votre compte est supprimé.").waitFor();
  await page.getByLabel("Adresse e-mail").waitFor();
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), null);
  assert.equal((await apiCall("GET", "/me/", { token })).status, 401);
  assert.equal((await apiCall("POST", "/auth/token/", { json: { email, password: PASSWORD } })).status, 401);
  assert.deepEqual(problems, []);
  await context.close();
});
