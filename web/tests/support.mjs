// What the browser tests share: a phone-sized Chromium, logging in as a demo account,
// the checks every screen must pass (fits 360 px, no request to another host, axe-core).
// Run by tests/web/test_browser.py, which sets APP_URL, CHROMIUM_PATH and SCREENSHOTS_DIR.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

export const APP_URL = process.env.APP_URL;
export const ORIGIN = APP_URL ? new URL(APP_URL).origin : null;
export const API = ORIGIN ? `${ORIGIN}/api/v1` : null;
export const PASSWORD = "Nimes-Demo-2026";
const SCREENSHOTS = process.env.SCREENSHOTS_DIR || "screenshots";
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
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

// A phone (or, with { desktop: true }, a laptop). `problems` collects script errors and
// requests to any host but the server.
export async function phone({ desktop = false, locale = "fr-FR", geolocation = null, serviceWorkers = "allow" } = {}) {
  const context = await browser.newContext({
    serviceWorkers,
    viewport: desktop ? { width: 1280, height: 800 } : { width: 360, height: 740 },
    deviceScaleFactor: desktop ? 1 : 2,
    isMobile: !desktop,
    hasTouch: !desktop,
    locale,
    ...(geolocation ? { geolocation, permissions: ["geolocation"] } : {}),
  });
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`script error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(ORIGIN) && !url.startsWith("data:") && !url.startsWith("blob:")) {
      problems.push(`request to another host: ${url}`);
    }
  });
  return { context, page, problems };
}

// The first time a persona logs in, it goes through the login form; later tests start
// with the tokens that login kept (many logins a minute from one address are throttled,
// as they are in production). `viaForm` forces the form.
const sessions = new Map();
const KEY = "agglo.staff.tokens";

export async function logIn(page, email, { viaForm = false } = {}) {
  const kept = sessions.get(email);
  if (kept && !viaForm) {
    await page.addInitScript(([key, tokens]) => {
      if (!localStorage.getItem(key)) localStorage.setItem(key, tokens);
    }, [KEY, kept]);
    await page.goto(APP_URL);
    return;
  }
  await page.goto(APP_URL);
  await page.getByLabel("Adresse e-mail").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSWORD);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await page.waitForFunction((key) => localStorage.getItem(key), KEY);
  sessions.set(email, await page.evaluate((key) => localStorage.getItem(key), KEY));
}

export async function fitsTheScreen(page, width = 360) {
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(scroll <= width, `the page is ${scroll} px wide at ${width} px`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// axe-core on the screen as it is: no serious or critical violation of WCAG 2.1 A/AA.
export async function accessible(page, label) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    });
    return result.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], `${label}: axe-core violations`);
}

// The API as a phone app or another person would call it, outside the page.
export async function apiCall(method, path, { token, json, form, lang = "fr" } = {}) {
  const headers = { Accept: "application/json", "Accept-Language": lang };
  if (token) headers.Authorization = `Bearer ${token}`;
  let body;
  if (json !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    body = form;
  }
  const res = await fetch(`${API}${path}`, { method, headers, body });
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = text;
  }
  return { status: res.status, body: data };
}

const tokens = new Map();

// An access token of the persona, from one login per persona and test file.
export async function tokenFor(email) {
  if (!tokens.has(email)) {
    const { status, body } = await apiCall("POST", "/auth/token/", { json: { email, password: PASSWORD } });
    assert.equal(status, 200, `log in as ${email}: ${JSON.stringify(body)}`);
    tokens.set(email, body.access);
  }
  return tokens.get(email);
}

// A resident of their own, registered through the API as the phone app does: tests that
// file reports or contribute do not share one account's limits and inbox.
export async function newResident(firstName = "Inès") {
  const email = `resident-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.fr`;
  const { status, body } = await apiCall("POST", "/auth/register/", {
    json: { email, password: "Un-Bon-Mot-2026", first_name: firstName },
  });
  assert.equal(status, 201, `register ${email}: ${JSON.stringify(body)}`);
  // `session` is what the apps keep in localStorage after a login.
  return { email, token: body.access, user: body.user, session: JSON.stringify(body) };
}

// The resident app opened at `hash` by `who` (from newResident), already logged in.
export async function openResident(page, who, hash = "#/") {
  await page.addInitScript(([key, session]) => {
    if (!localStorage.getItem(key)) localStorage.setItem(key, session);
  }, [KEY, who.session]);
  await page.goto(`${ORIGIN}/citoyen/${hash}`);
}

// Waits until `check()` gives something true (work done by the task worker, say), or fails.
export async function eventually(check, what, seconds = 20) {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) assert.fail(`still not true after ${seconds} s: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
