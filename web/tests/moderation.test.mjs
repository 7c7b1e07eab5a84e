// The moderators' screens in a phone-sized Chromium, against a live server with the demo
// data: the pending and flagged queues, the decisions and their news to the author, the log.
// Each test writes its own contributions through the API (with residents registered for this
// run), so that it does not depend on what other test files do to the same demo.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiCall, accessible, fitsTheScreen, logIn, phone, screenshot, tokenFor } from "./support.mjs";

// Demo consultations of Nîmes Métropole, which moderation@demo.test moderates.
const A_PRIORI = "zonage-assainissement-pluvial"; // read by a moderator before publication
const A_POSTERIORI = "plan-de-mobilite-2035"; // published at once, hidden by enough flags
const RUN = `${Date.now().toString(36)}${process.pid}`;

// Residents registered through the API, as the phone app does: one author, three flaggers.
const residents = new Map();
async function resident(name) {
  if (!residents.has(name)) {
    const { status, body } = await apiCall("POST", "/auth/register/", {
      json: {
        email: `moderation-${name.toLowerCase()}-${RUN}@example.test`,
        password: "Un-Mot-De-Passe-Solide-2026",
        first_name: name,
        last_name: "Essai",
      },
    });
    assert.equal(status, 201, JSON.stringify(body));
    residents.set(name, body.access);
  }
  return residents.get(name);
}

async function contribute(token, slug, json) {
  const { status, body } = await apiCall("POST", `/consultations/${slug}/contributions/`, { token, json });
  assert.equal(status, 201, JSON.stringify(body));
  return body;
}

async function charterReason(code) {
  const { body } = await apiCall("GET", "/organisations/nimes-metropole/charter/");
  return body.find((r) => r.code === code);
}

async function consultationTitle(slug) {
  return (await apiCall("GET", `/consultations/${slug}/`)).body.title;
}

async function inbox(token, contributionId) {
  const { body } = await apiCall("GET", "/notifications/?page_size=50", { token });
  return body.results.filter((n) => n.link_type === "contribution" && n.link_id === String(contributionId));
}

// Flag with one resident after another until the organisation's threshold hides it.
async function flagUntilHidden(authorToken, contributionId, reasonId) {
  for (const name of ["Bruno", "Chloe", "Driss", "Emma", "Farid"]) {
    const flagged = await apiCall("POST", `/contributions/${contributionId}/flag/`, {
      token: await resident(name),
      json: { reason: reasonId, comment: "Publicité" },
    });
    assert.equal(flagged.status, 201, JSON.stringify(flagged.body));
    const mine = await apiCall("GET", `/contributions/${contributionId}/`, { token: authorToken });
    if (mine.body.state === "hidden") return;
  }
  assert.fail(`contribution ${contributionId} is still shown after five flags`);
}

// Run an action that paints the screen again, and wait for the new screen (not the old one).
async function repainted(page, action) {
  await page.evaluate(() => document.getElementById("main").firstElementChild?.setAttribute("data-stale", ""));
  await action();
  await page.locator("#main > :first-child:not([data-stale])").waitFor();
  await page.locator("#moderation-count, #moderation-log, #moderation-log-empty, #main .error").first().waitFor();
}

// The card of a contribution, on whichever page of the queue it is.
async function findCard(page, id) {
  const card = page.locator(`#moderation form[data-contribution="${id}"]`);
  for (;;) {
    await page.locator("#moderation-count").waitFor();
    if (await card.count()) return card;
    const next = page.locator("nav.pager a[rel=next]");
    if (!(await next.count())) assert.fail(`contribution ${id} is in no page of this queue`);
    await repainted(page, () => next.click());
  }
}

async function openModeration(page, email) {
  await logIn(page, email);
  await page.locator("#nav").getByRole("link", { name: "Modération" }).click();
  await page.locator("#moderation-count").waitFor();
}

test("moderation queue: a moderator rejects a pending contribution with a reason and a message; its author is told", async () => {
  const author = await resident("Aurore");
  const text = `Le cadereau d’Uzès déborde à chaque orage : prévoir un bassin en amont (${RUN}).`;
  const contribution = await contribute(author, A_PRIORI, { kind: "idea", body: text });
  assert.equal(contribution.state, "pending", `${A_PRIORI} is moderated before publication`);
  const reason = await charterReason("hors-sujet");
  const title = await consultationTitle(A_PRIORI);

  const { context, page, problems } = await phone();
  await openModeration(page, "moderation@demo.test");
  assert.equal(await page.locator("#tab-pending").getAttribute("aria-current"), "page");
  const card = await findCard(page, contribution.id);
  // The contribution in its context: kind, consultation, author.
  await card.getByText(text).waitFor();
  await card.getByText("Idée").waitFor();
  await card.getByText(`dans « ${title} »`).waitFor();
  await card.getByText("par Aurore E.").waitFor();
  // A pending contribution is published or rejected, nothing else.
  assert.deepEqual(await card.locator("button").allTextContents(), ["Publier", "Rejeter"]);
  await card.scrollIntoViewIfNeeded();
  await fitsTheScreen(page);
  await accessible(page, "the pending tab");
  await screenshot(page, "moderation-queue");

  // Without a reason the API refuses, and says so on the field it names.
  await card.getByRole("button", { name: "Rejeter" }).click();
  const select = card.getByLabel("Motif (charte)");
  await card.locator(".field-error").waitFor();
  assert.equal(await select.getAttribute("aria-invalid"), "true");
  assert.match(await card.locator(".field-error").textContent(), /charte/);
  assert.equal(await card.locator(".error").count(), 0, "a refusal about a field is written under it only");
  assert.ok(await select.evaluate((node) => node === document.activeElement), "the refused field has the focus");

  const message = "Votre message porte sur les inondations, hors du zonage soumis à l’enquête.";
  await select.selectOption({ label: `${reason.article} · ${reason.label}` });
  await card.getByLabel("Message à l’auteur (facultatif)").fill(message);
  await repainted(page, () => card.getByRole("button", { name: "Rejeter" }).click());
  await page.getByRole("status").filter({ hasText: "Contribution rejetée." }).waitFor();
  assert.equal(await page.locator(`#moderation form[data-contribution="${contribution.id}"]`).count(), 0);

  // The author is told: the inbox has the news with the reason and the message, and the
  // author's own list says why.
  const news = await inbox(author, contribution.id);
  assert.equal(news.length, 1, JSON.stringify(news));
  assert.match(news[0].title, /rejet/i);
  assert.ok(news[0].body.includes(reason.label) && news[0].body.includes(message), news[0].body);
  const { body: mine } = await apiCall("GET", "/me/contributions/", { token: author });
  const rejected = mine.results.find((c) => c.id === contribution.id);
  assert.equal(rejected.state, "rejected");
  assert.equal(rejected.moderation_reason.code, "hors-sujet");
  assert.equal(rejected.moderation_message, message);

  // The moderator reads the log of the organisation: the rejection is its latest entry.
  await page.locator("#log-link").click();
  const entry = page.locator(`#moderation-log li[data-contribution="${contribution.id}"]`).first();
  await entry.waitFor();
  assert.ok((await entry.textContent()).includes(message), "the log shows the message to the author");
  assert.deepEqual(problems, []);
  await context.close();
});

test("moderation queue: contributions hidden by flags are restored or hidden for good, in their context", async () => {
  const author = await resident("Aurore");
  const advertising = await charterReason("publicite");
  const published = (await apiCall("GET", `/consultations/${A_POSTERIORI}/contributions/`)).body.results;
  const parent = published.find((c) => c.state === "published");
  const reply = await contribute(author, A_POSTERIORI, {
    kind: "comment", parent: parent.id, body: `D’accord, et des navettes le dimanche aussi (${RUN}).`,
  });
  const advert = await contribute(author, A_POSTERIORI, {
    kind: "idea", body: `Location de trottinettes à prix cassés, appelez-nous (${RUN}).`,
  });
  await flagUntilHidden(author, reply.id, advertising.id);
  await flagUntilHidden(author, advert.id, advertising.id);

  const { context, page, problems } = await phone();
  await openModeration(page, "moderation@demo.test");
  await repainted(page, () => page.getByRole("link", { name: "Signalées" }).click());
  assert.equal(await page.locator("#tab-flagged").getAttribute("aria-current"), "page");
  const replyCard = await findCard(page, reply.id);
  // A reply is shown under the contribution it answers.
  await replyCard.locator(".parent").getByText(parent.body).waitFor();
  await replyCard.getByText("Commentaire").waitFor();
  await replyCard.getByText(/Signalée \d+ fois/).waitFor();
  // Hidden by flags: restored, or hidden for good; never "rejected".
  assert.deepEqual(await replyCard.locator("button").allTextContents(), ["Rétablir", "Masquer"]);
  await replyCard.scrollIntoViewIfNeeded();
  await fitsTheScreen(page);
  await accessible(page, "the flagged tab");
  await screenshot(page, "moderation-flagged");

  await replyCard.getByLabel("Message à l’auteur (facultatif)").fill("Votre commentaire respecte la charte.");
  await repainted(page, () => replyCard.getByRole("button", { name: "Rétablir" }).click());
  await page.getByRole("status").filter({ hasText: "Contribution rétablie." }).waitFor();
  assert.equal(await page.locator(`#moderation form[data-contribution="${reply.id}"]`).count(), 0);
  // Visible to everyone again.
  assert.equal((await apiCall("GET", `/contributions/${reply.id}/`)).body.state, "published");

  const advertCard = await findCard(page, advert.id);
  await advertCard.getByLabel("Motif (charte)").selectOption({ label: `${advertising.article} · ${advertising.label}` });
  await repainted(page, () => advertCard.getByRole("button", { name: "Masquer" }).click());
  await page.getByRole("status").filter({ hasText: "Contribution masquée." }).waitFor();
  assert.equal(await page.locator(`#moderation form[data-contribution="${advert.id}"]`).count(), 0);
  assert.equal((await apiCall("GET", `/contributions/${advert.id}/`)).status, 404, "hidden from the public");

  assert.equal((await inbox(author, reply.id)).length, 1, "the author of the reply is told it is back");
  assert.ok((await inbox(author, advert.id))[0].body.includes(advertising.label));
  assert.deepEqual(problems, []);
  await context.close();
});

test("moderation log: an organisation admin reads the decisions, page after page", async () => {
  const author = await resident("Aurore");
  const spam = await charterReason("spam");
  const title = await consultationTitle(A_PRIORI);
  const contribution = await contribute(author, A_PRIORI, { kind: "question", body: `Question répétée (${RUN}) ?` });
  const moderator = await tokenFor("moderation@demo.test");
  const decide = async (json) => {
    const { status, body } = await apiCall("POST", `/moderation/contributions/${contribution.id}/decision/`, { token: moderator, json });
    assert.equal(status, 200, JSON.stringify(body));
  };
  const message = "Vous avez déjà posé cette question hier.";
  await decide({ action: "reject", reason: spam.id, message });
  // More decisions than one page of the log holds, all newer than the rejection.
  for (let i = 0; i < 12; i++) {
    await decide({ action: "restore", message: "" });
    await decide({ action: "hide", reason: spam.id, message: "" });
  }

  const { context, page, problems } = await phone();
  await logIn(page, "admin@demo.test");
  await page.locator("#moderation-count").waitFor();
  await repainted(page, () => page.getByRole("link", { name: "Journal de modération" }).click());
  await page.locator("#moderation-log").waitFor();
  const latest = page.locator(`#moderation-log li[data-contribution="${contribution.id}"]`).first();
  await latest.getByRole("heading", { name: `Masquage · n° ${contribution.id}`, exact: true }).waitFor();
  await latest.getByText("moderation@demo.test").waitFor();
  await latest.getByText(`${spam.article} · ${spam.label}`).waitFor();
  await latest.getByText("publiée → masquée").waitFor();
  await latest.getByText(title).waitFor();
  await fitsTheScreen(page);
  await accessible(page, "the log");
  await screenshot(page, "moderation-log");

  // The rejection is further down: follow the API's cursor to older decisions.
  const rejection = page.locator(`#moderation-log li[data-contribution="${contribution.id}"]`, {
    has: page.getByRole("heading", { name: `Rejet · n° ${contribution.id}`, exact: true }),
  });
  let pages = 1;
  const seen = new Set();
  while (!(await rejection.count())) {
    const first = await page.locator("#moderation-log li").first().getAttribute("data-decision");
    assert.ok(!seen.has(first) && pages < 10, "each older page shows other decisions");
    seen.add(first);
    const older = page.getByRole("link", { name: "Décisions plus anciennes" });
    assert.ok(await older.count(), "the rejection is on a page of the log");
    await repainted(page, () => older.click());
    pages += 1;
  }
  assert.ok(pages > 1, "the log has more than one page");
  await rejection.getByText(message).waitFor();
  await rejection.getByText("en attente → rejetée").waitFor();
  await accessible(page, "an older page of the log");
  await repainted(page, () => page.getByRole("link", { name: "Décisions plus récentes" }).click());
  await page.locator("#moderation-log li").first().waitFor();

  // Desktop and English work too.
  await page.setViewportSize({ width: 1280, height: 800 });
  await fitsTheScreen(page, 1280);
  await repainted(page, () => page.getByRole("button", { name: "English" }).click());
  await page.getByRole("heading", { name: "Moderation log", level: 1 }).waitFor();
  await page.locator(`#moderation-log li[data-contribution="${contribution.id}"]`).first()
    .getByText("published → hidden").waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});
