// The resident app's inbox and account (/citoyen/#/messages, #/compte) in a phone-sized
// Chromium: an agent's moves show in the inbox (counted in the bar) and on the report's page;
// alerts, language and password are saved through the API; the data export downloads; the
// account is deleted and its tokens and password stop working; the forgotten-password form.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { ORIGIN, accessible, eventually, apiCall, fitsTheScreen, phone, screenshot, tokenFor } from "./support.mjs";

const RESIDENT_URL = `${ORIGIN}/citoyen/`;
const KEY = "agglo.staff.tokens";
const PASSWORD = "Un-Bon-Mot-2026";
const NEW_PASSWORD = "Un-Autre-Mot-2027";

const unread = async (token) => (await apiCall("GET", "/notifications/", { token })).body.unread_count;

test("an agent's moves show in the inbox and on the report's page; then the resident manages and deletes the account", async () => {
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

  // The roads agent acknowledges it, then takes it in hand.
  const agent = await tokenFor("agent.voirie@demo.test");
  for (const [status, message] of [["pris_en_compte", "Une équipe passe cette semaine."], ["en_cours", "L’équipe est sur place."]]) {
    const moved = await apiCall("POST", `/agent/signalements/${id}/transition/`, { token: agent, json: { status, public_message: message } });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
  }
  // The notifications are written by the task worker.
  const notices = await eventually(async () => {
    const inbox = (await apiCall("GET", "/notifications/", { token })).body.results;
    const about = inbox.filter((n) => n.link_type === "signalement" && String(n.link_id) === String(id));
    return about.length >= 2 ? about : null;
  }, "the resident is told of both moves");
  const count = await unread(token);
  assert.ok(count >= 2, `unread: ${count}`);

  const { context, page, problems } = await phone();
  await page.addInitScript(([key, session]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, session);
  }, [KEY, JSON.stringify(registered.body)]);
  await page.goto(`${RESIDENT_URL}#/messages`);
  // The bar counts what is unread; the inbox lists both moves, newest first.
  await page.locator("#nav a", { hasText: `Messages (${count})` }).waitFor();
  for (const notice of notices) await page.locator("#inbox li.unread", { hasText: notice.title }).waitFor();
  await accessible(page, "the inbox");
  await fitsTheScreen(page);
  await screenshot(page, "resident-inbox");

  // The newest leads to the report's page, with its new status in the timeline; it is read.
  const [latest] = notices;
  await page.locator("#inbox li", { hasText: latest.title }).getByRole("link").click();
  await page.waitForURL(new RegExp(`#/signalement/${id}$`));
  await page.locator("h1", { hasText: `Signalement #${id}` }).waitFor();
  await page.locator(".badge", { hasText: "En cours" }).first().waitFor();
  await page.locator("#timeline li", { hasText: "Une équipe passe cette semaine." }).waitFor();
  await page.locator("#timeline li", { hasText: "L’équipe est sur place." }).waitFor();
  const read = (await apiCall("GET", "/notifications/", { token })).body.results.find((n) => n.id === latest.id);
  assert.ok(read.is_read, "opening it marked it read");
  assert.equal(await unread(token), count - 1);

  // Back in the inbox, one fewer in the bar; the other is marked read without opening it.
  await page.goto(`${RESIDENT_URL}#/messages`);
  await page.locator("#nav a", { hasText: `Messages (${count - 1})` }).waitFor();
  const older = notices[1];
  await page.getByRole("button", { name: `Marquer comme lu : ${older.title}` }).click();
  await page.locator("#nav a", { hasText: count - 2 ? `Messages (${count - 2})` : /^Messages$/ }).waitFor();
  await page.locator("#inbox li:not(.unread)", { hasText: older.title }).waitFor();
  assert.ok((await apiCall("GET", "/notifications/", { token })).body.results.find((n) => n.id === older.id).is_read);
  assert.equal(await unread(token), count - 2);

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

  // The language is the account's (its e-mails and notifications) and the app's at once.
  await page.getByLabel("Langue de l’application et des messages").selectOption("en");
  await page.locator("form", { has: page.getByLabel("Langue de l’application et des messages") }).getByRole("button", { name: "Enregistrer" }).click();
  await page.locator("h1", { hasText: "My account" }).waitFor();
  assert.equal((await apiCall("GET", "/me/", { token })).body.language, "en");
  assert.equal(await page.evaluate(() => document.documentElement.lang), "en");
  await page.locator("#nav a", { hasText: "My account" }).waitFor();
  await page.getByLabel("Language of the app and of messages").selectOption("fr");
  await page.locator("form", { has: page.getByLabel("Language of the app and of messages") }).getByRole("button", { name: "Save" }).click();
  await page.locator("h1", { hasText: "Mon compte" }).waitFor();
  assert.equal((await apiCall("GET", "/me/", { token })).body.language, "fr");

  // The export is the API's archive of this account.
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger mes données" }).click()]);
  assert.equal(file.suggestedFilename(), "mes-donnees.json");
  const archive = JSON.parse(await readFile(await file.path(), "utf8"));
  assert.ok(JSON.stringify(archive).includes(email), "the archive names the account");
  assert.ok(JSON.stringify(archive).includes(latest.title), "the archive holds the inbox");

  // A wrong current password is refused; the right one changes it and the app stays logged in.
  const passwordForm = page.locator("#password");
  await passwordForm.getByLabel("Mot de passe actuel").fill("pas-le-bon");
  await passwordForm.getByLabel("Nouveau mot de passe").fill(NEW_PASSWORD);
  await passwordForm.getByRole("button", { name: "Changer le mot de passe" }).click();
  await passwordForm.locator(".error").waitFor();
  await passwordForm.getByLabel("Mot de passe actuel").fill(PASSWORD);
  await passwordForm.getByRole("button", { name: "Changer le mot de passe" }).click();
  await page.getByText("Votre mot de passe est changé.").waitFor();
  const session = JSON.parse(await page.evaluate((key) => localStorage.getItem(key), KEY));
  assert.notEqual(session.refresh, registered.body.refresh, "the app logged in again with the new password");
  assert.equal((await apiCall("POST", "/auth/token/refresh/", { json: { refresh: registered.body.refresh } })).status, 401);

  // Deleting takes a confirmation, then the account is gone: no token, no login.
  await page.getByRole("button", { name: "Supprimer mon compte…" }).click();
  await accessible(page, "the deletion's confirmation");
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  await page.getByText("Votre compte est supprimé.").waitFor();
  await page.getByLabel("Adresse e-mail").waitFor();
  assert.equal(await page.evaluate((key) => localStorage.getItem(key), KEY), null);
  assert.equal((await apiCall("GET", "/me/", { token: session.access })).status, 401);
  assert.equal((await apiCall("POST", "/auth/token/", { json: { email, password: NEW_PASSWORD } })).status, 401);

  // Logged out, the login screen leads to the forgotten-password form.
  await page.getByRole("link", { name: "Mot de passe oublié ?" }).click();
  await page.locator("h1", { hasText: "Mot de passe oublié" }).waitFor();
  await page.getByLabel("Adresse e-mail").fill("quelquun@example.fr");
  await page.getByRole("button", { name: "Recevoir un lien" }).click();
  await page.getByRole("status").filter({ hasText: "Si un compte existe à cette adresse" }).waitFor();
  await accessible(page, "the forgotten-password form");
  await fitsTheScreen(page);
  // The e-mail's link opens the form for a new password; a link that is not the API's is refused.
  await page.goto(`${RESIDENT_URL}#/reinitialiser-mot-de-passe?uid=MTIzNDU2&token=pas-un-jeton`);
  await page.locator("h1", { hasText: "Choisir un nouveau mot de passe" }).waitFor();
  await page.getByLabel("Nouveau mot de passe").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Enregistrer le mot de passe" }).click();
  await page.getByRole("alert").filter({ hasText: "Ce lien de réinitialisation est invalide ou a expiré." }).waitFor();
  await accessible(page, "the new password form");
  assert.deepEqual(problems, []);
  await context.close();
});

test("a moderator's decisions on a contribution lead from the inbox to its consultation's page", async () => {
  const listed = (await apiCall("GET", "/consultations/?status=open&page_size=100")).body.results;
  const open = await Promise.all(listed.map(async (c) => (await apiCall("GET", `/consultations/${c.slug}/`)).body));
  const moderated = open.find((c) => c.participation.is_open && c.participation.moderation_mode === "a_priori"
    && c.allowed_kinds.includes("idea"));
  assert.ok(moderated, "an open consultation under a priori moderation");
  const registered = await apiCall("POST", "/auth/register/", {
    json: { email: `avis-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.fr`, password: PASSWORD, first_name: "Lina" },
  });
  assert.equal(registered.status, 201, JSON.stringify(registered.body));
  const token = registered.body.access;
  const moderator = await tokenFor("moderation@demo.test");
  const charter = (await apiCall("GET", `/organisations/${moderated.organisation.slug}/charter/`)).body;
  for (const decision of [{ action: "publish" }, { action: "reject", reason: charter[0].id, message: "Merci de rester sur le sujet." }]) {
    const written = await apiCall("POST", `/consultations/${moderated.slug}/contributions/`, {
      token, json: { kind: "idea", body: `Une idée (${decision.action}) ${Date.now()}` },
    });
    assert.equal(written.status, 201, JSON.stringify(written.body));
    const decided = await apiCall("POST", `/moderation/contributions/${written.body.id}/decision/`, { token: moderator, json: decision });
    assert.equal(decided.status, 200, JSON.stringify(decided.body));
  }
  const notices = await eventually(async () => {
    const about = (await apiCall("GET", "/notifications/", { token })).body.results.filter((n) => n.link_type === "contribution");
    return about.length >= 2 ? about : null;
  }, "the author is told of both decisions");

  const { context, page, problems } = await phone();
  await page.addInitScript(([key, session]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, session);
  }, [KEY, JSON.stringify(registered.body)]);
  await page.goto(`${RESIDENT_URL}#/messages`);
  for (const notice of notices) {
    const link = page.locator("#inbox li", { hasText: notice.title }).getByRole("link");
    assert.equal(await link.getAttribute("href"), `#/concertation/${moderated.slug}`, notice.title);
  }
  await page.locator("#nav a", { hasText: /^Messages \(\d+\)$/ }).waitFor();
  await page.getByRole("button", { name: "Tout marquer comme lu" }).click();
  await page.locator("#nav a", { hasText: /^Messages$/ }).waitFor();
  await eventually(async () => (await page.locator("#inbox li.unread").count()) === 0, "no unread message painted");
  assert.equal(await unread(token), 0);
  await page.locator("#inbox li", { hasText: notices[0].title }).getByRole("link").click();
  await page.getByRole("heading", { name: moderated.title, level: 1 }).waitFor();
  // The API's own link (link_url, {FRONTEND_URL}/contribution/<id>) opens the same page in the app.
  // (FRONTEND_URL may be a bare origin or the app itself, https://<host>/citoyen/#.)
  const link = new URL(notices[1].link_url);
  await page.goto(`${RESIDENT_URL}#${link.hash ? link.hash.slice(1) : link.pathname}`);
  await page.waitForURL(`${RESIDENT_URL}#/concertation/${moderated.slug}`);
  await page.getByRole("heading", { name: moderated.title, level: 1 }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
