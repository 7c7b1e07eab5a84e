// The resident app's consultations (/citoyen/#/concertations) in a phone-sized Chromium:
// the list anyone may read, contributing under a priori moderation (pending, then published
// by a moderator, or rejected with the charter's reason), and registering to a meeting.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ORIGIN, accessible, newResident, openResident, apiCall, fitsTheScreen, phone, screenshot, tokenFor } from "./support.mjs";

const RESIDENT_URL = `${ORIGIN}/citoyen/`;

// The demo's consultations as the API gives them, with their details.
async function consultations(status) {
  const { body } = await apiCall("GET", `/consultations/?status=${status}&page_size=100`);
  return Promise.all(body.results.map(async (c) => (await apiCall("GET", `/consultations/${c.slug}/`)).body));
}

const soon = (meeting) => meeting.registration === "platform" && new Date(meeting.starts_at) > new Date()
  && (meeting.capacity === null || meeting.seats_taken < meeting.capacity);



test("anyone reads the open, upcoming and past consultations and is asked to log in to take part", async () => {
  const open = await consultations("open");
  const upcoming = await consultations("upcoming");
  const { page, problems } = await phone();
  await page.goto(`${RESIDENT_URL}#/concertations`);
  await page.getByRole("heading", { name: "Concertations", level: 1 }).waitFor();
  const titles = async () => page.locator("#consultations .card-link").allTextContents();
  assert.deepEqual((await titles()).sort(), open.map((c) => c.title).sort());
  await accessible(page, "the consultations");
  await fitsTheScreen(page);

  await page.getByRole("link", { name: "À venir" }).click();
  await page.locator("[aria-current=page]", { hasText: "À venir" }).waitFor();
  assert.deepEqual((await titles()).sort(), upcoming.map((c) => c.title).sort());

  // A past consultation with a published restitution shows it (or says who may read it).
  const past = [...await consultations("closed"), ...await consultations("restitution")];
  await page.getByRole("link", { name: "Terminées" }).click();
  await page.locator("[aria-current=page]", { hasText: "Terminées" }).waitFor();
  assert.deepEqual((await titles()).sort(), past.map((c) => c.title).sort());
  const restituted = past.find((c) => c.restitution_published_at);
  if (restituted) {
    await page.getByRole("link", { name: restituted.title }).click();
    await page.getByRole("heading", { name: "Bilan de la concertation" }).waitFor();
    await accessible(page, "a restitution");
  }

  // The open ones on the map: every perimeter the API draws.
  const drawn = (await apiCall("GET", "/consultations/map/?status=open")).body.features.filter((f) => f.geometry);
  await page.goto(`${RESIDENT_URL}#/concertations?statut=open`);
  await page.getByRole("link", { name: "Voir sur la carte" }).click();
  await page.locator("#consultations-map-status", { hasText: `${drawn.length} concertation(s) sur la carte` }).waitFor();
  assert.ok(await page.locator("#consultations-map path.leaflet-interactive").count() >= drawn.length);
  await accessible(page, "the consultations' map");
  await fitsTheScreen(page);

  const local = open.find((c) => !c.is_relayed && c.allowed_kinds.length);
  await page.goto(`${RESIDENT_URL}#/concertations?statut=open`);
  await page.getByRole("link", { name: local.title }).click();
  await page.getByRole("heading", { name: local.title, level: 1 }).waitFor();
  await page.getByRole("link", { name: "Connectez-vous pour contribuer" }).waitFor();
  assert.equal(await page.locator("#contribute textarea").count(), 0);
  assert.equal(await page.locator("#nav a", { hasText: "Concertations" }).count(), 1);
  assert.equal(await page.locator("main").evaluate((m) => m.textContent.includes("null")), false);

  // Logging in from there leads back to the consultation, now with the form to contribute.
  const who = await newResident("Lina");
  await page.getByRole("link", { name: "Connectez-vous pour contribuer" }).click();
  await page.getByLabel("Adresse e-mail").fill(who.email);
  await page.getByLabel("Mot de passe").fill("Un-Bon-Mot-2026");
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.getByRole("heading", { name: local.title, level: 1 }).waitFor();
  await page.locator("#contribute textarea").first().waitFor();
  assert.deepEqual(problems, []);
});

test("a resident's contribution waits for moderation, is published by a moderator (another rejected shows the reason); the resident registers to a meeting", async () => {
  const open = await consultations("open");
  const moderated = open.find((c) => c.participation.is_open && c.participation.moderation_mode === "a_priori"
    && c.allowed_kinds.includes("idea"));
  assert.ok(moderated, "an open consultation under a priori moderation");
  const withMeeting = open.find((c) => c.meetings.some(soon));
  assert.ok(withMeeting, "an open consultation with a meeting open for registration");
  const who = await newResident("Maëlle");
  const { page, problems } = await phone();

  await openResident(page, who, `#/concertation/${moderated.slug}`);
  await page.getByRole("heading", { name: moderated.title, level: 1 }).waitFor();
  const idea = `Une idée pour ${moderated.title} ${Date.now()}`;
  await page.getByLabel("Votre contribution").fill(idea);
  await page.getByRole("button", { name: "Envoyer" }).click();
  await page.getByText("sera publiée après modération").waitFor();
  const item = page.locator("#contribution-list li", { hasText: idea });
  await item.locator("[data-state=pending]", { hasText: "En attente de modération" }).waitFor();

  const mine = (await apiCall("GET", "/me/contributions/?page_size=100", { token: who.token })).body.results;
  const written = mine.find((c) => c.body === idea);
  assert.equal(written?.state, "pending");
  const moderator = await tokenFor("moderation@demo.test");
  const decision = await apiCall("POST", `/moderation/contributions/${written.id}/decision/`, {
    token: moderator, json: { action: "publish" },
  });
  assert.equal(decision.status, 200, JSON.stringify(decision.body));
  // Another one, written from the phone app and rejected: its author reads the charter's reason.
  const offTopic = `Hors sujet ${Date.now()}`;
  const written2 = await apiCall("POST", `/consultations/${moderated.slug}/contributions/`, {
    token: who.token, json: { kind: "idea", body: offTopic },
  });
  assert.equal(written2.status, 201, JSON.stringify(written2.body));
  const charter = (await apiCall("GET", `/organisations/${moderated.organisation.slug}/charter/`)).body;
  const rejected = await apiCall("POST", `/moderation/contributions/${written2.body.id}/decision/`, {
    token: moderator, json: { action: "reject", reason: charter[0].id, message: "Merci de rester sur le sujet." },
  });
  assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
  await page.reload();
  await item.locator("[data-state=published]", { hasText: "Publiée" }).waitFor();
  assert.equal(await item.getByText("En attente de modération").count(), 0);
  const refusal = page.locator("#contribution-list li", { hasText: offTopic }).locator("[data-state=rejected]");
  await refusal.waitFor();
  const said = await refusal.textContent();
  assert.ok(said.includes("Refusée") && said.includes(charter[0].label) && said.includes(charter[0].article)
    && said.includes("Merci de rester sur le sujet."), said);

  if (withMeeting.slug !== moderated.slug) {
    await page.goto(`${RESIDENT_URL}#/concertation/${withMeeting.slug}`);
    await page.getByRole("heading", { name: withMeeting.title, level: 1 }).waitFor();
  }
  const meeting = withMeeting.meetings.find(soon);
  const card = page.locator(`[data-meeting="${meeting.id}"]`);
  const ics = await card.getByRole("link", { name: "Ajouter à mon agenda (.ics)" }).getAttribute("href");
  const calendar = await fetch(`${ORIGIN}${ics}`);
  assert.equal(calendar.status, 200);
  assert.match(await calendar.text(), /BEGIN:VEVENT/);
  await card.getByRole("button", { name: "M’inscrire" }).click();
  await page.getByText("Inscription enregistrée.").waitFor();
  await page.locator(`[data-meeting="${meeting.id}"]`).getByText("Vous êtes inscrit(e) à cette réunion.").waitFor();
  const seen = (await apiCall("GET", `/consultations/${withMeeting.slug}/`, { token: who.token })).body;
  const registered = seen.meetings.find((m) => m.id === meeting.id);
  assert.equal(registered.my_registration, "confirmed");
  assert.equal(registered.seats_taken, meeting.seats_taken + 1);
  await page.locator(`[data-meeting="${meeting.id}"]`).getByRole("button", { name: "Annuler mon inscription" }).waitFor();

  assert.equal(await page.locator("main").evaluate((m) => m.textContent.includes("null")), false);
  await accessible(page, "a consultation's page");
  await fitsTheScreen(page);
  await screenshot(page, "resident-consultation");
  assert.deepEqual(problems, []);
});
