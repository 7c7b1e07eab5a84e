// The staff app's first screen on a throttled phone, in Debian's Chromium (playwright-core).
//
//   node bench/first_screen.mjs --server http://127.0.0.1:8000 --static-root var/bench/static
//
// In production a reverse proxy serves STATIC_ROOT and hands the rest to gunicorn
// (README, "Production deployment"); gunicorn with DEBUG=false serves no static file. This
// script plays that proxy: one origin on 127.0.0.1 that serves the collected static files
// (gzipped, as a proxy with `gzip on` for CSS and JavaScript would) and passes every other
// request to --server. Chromium sees that one origin only.
//
// Each run is a fresh browser context (cold HTTP cache, empty storage) at 360 x 740, with the
// network throttled through CDP as Chrome DevTools' presets and the CPU slowed down 4 times.
// Three screens are timed from the start of navigation (performance.now() in the page):
//   login:  the staff app's login form is painted and usable (e-mail, password, submit);
//   queue:  an agent already logged in (tokens in localStorage, as the app keeps them) opens
//           /app/ and the list #queue is painted;
//   report: a resident already logged in opens the resident app (/citoyen/#/nouveau) and
//           the report form is usable (its categories loaded, the send button enabled).
// Prints JSON: the median of --runs runs per screen and profile, bytes and requests.
import { readFile, stat } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import { extname, resolve, sep } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";

const require = createRequire(new URL("../web/package.json", import.meta.url));
const { chromium } = require("playwright-core");

// Chrome DevTools' presets (Puppeteer's PredefinedNetworkConditions): bytes per second, and
// a latency Chromium adds to every request. "Slow 4G" is the former "Fast 3G".
const PROFILES = {
  "slow-4g": {
    label: "Slow 4G (DevTools, formerly Fast 3G)",
    latency: 150 * 3.75, // 562.5 ms
    downloadThroughput: ((1.6 * 1000 * 1000) / 8) * 0.9, // 180,000 B/s, about 1.44 Mbit/s
    uploadThroughput: ((750 * 1000) / 8) * 0.9, // 84,375 B/s, about 675 kbit/s
  },
  "fast-4g": {
    label: "Fast 4G (DevTools)",
    latency: 60 * 2.75, // 165 ms
    downloadThroughput: ((9 * 1000 * 1000) / 8) * 0.9, // 1,012,500 B/s, about 8.1 Mbit/s
    uploadThroughput: ((1.5 * 1000 * 1000) / 8) * 0.9, // 168,750 B/s, about 1.35 Mbit/s
  },
};
const CPU_RATE = 4;
const TOKENS_KEY = "agglo.staff.tokens";
const TIMEOUT_MS = 60_000;
// Where each screen is opened.
const SCREENS = { login: "/app/", queue: "/app/", report: "/citoyen/#/nouveau" };

const { values: options } = parseArgs({
  options: {
    server: { type: "string", default: process.env.FIRST_SCREEN_SERVER },
    "static-root": { type: "string", default: process.env.STATIC_ROOT },
    runs: { type: "string", default: "5" },
    profiles: { type: "string", default: "slow-4g,fast-4g" },
    email: { type: "string", default: "agent.voirie@demo.test" },
    "resident-email": { type: "string", default: "citoyen@demo.test" },
    password: { type: "string", default: "Nimes-Demo-2026" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH || "/usr/bin/chromium" },
  },
});
if (!options.server || !options["static-root"]) {
  console.error("usage: first_screen.mjs --server URL --static-root DIR [--runs N] [--profiles a,b]");
  process.exit(2);
}

// The reverse proxy ------------------------------------------------------------------------

const TYPES = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};
const COMPRESSED = new Set([".js", ".mjs", ".css", ".svg", ".json"]);

async function serveStatic(root, request, response) {
  const path = decodeURIComponent(new URL(request.url, "http://x").pathname).slice("/static/".length);
  const file = resolve(root, path);
  if (!file.startsWith(root + sep)) return notFound(response);
  let body;
  try {
    if (!(await stat(file)).isFile()) return notFound(response);
    body = await readFile(file);
  } catch {
    return notFound(response);
  }
  const ext = extname(file);
  const headers = {
    "Content-Type": TYPES[ext] || "application/octet-stream",
    "Cache-Control": "public, max-age=3600",
    Vary: "Accept-Encoding",
  };
  if (COMPRESSED.has(ext) && /\bgzip\b/.test(request.headers["accept-encoding"] || "")) {
    body = gzipSync(body, { level: 6 });
    headers["Content-Encoding"] = "gzip";
  }
  headers["Content-Length"] = body.length;
  response.writeHead(200, headers);
  response.end(request.method === "HEAD" ? undefined : body);
}

function notFound(response) {
  response.writeHead(404, { "Content-Type": "text/plain" });
  response.end("not found");
}

function startProxy(upstream, staticRoot) {
  const target = new URL(upstream);
  const agent = new http.Agent({ keepAlive: true });
  const root = resolve(staticRoot);
  const server = http.createServer((request, response) => {
    if (request.url.startsWith("/static/")) {
      serveStatic(root, request, response).catch(() => notFound(response));
      return;
    }
    const forward = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
        agent,
      },
      (answer) => {
        response.writeHead(answer.statusCode, answer.headers);
        answer.pipe(response);
      },
    );
    forward.on("error", () => {
      response.writeHead(502);
      response.end();
    });
    request.pipe(forward);
  });
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      done({ origin, close: () => new Promise((closed) => { server.close(closed); agent.destroy(); }) });
    });
  });
}

// In the page ------------------------------------------------------------------------------

// Runs before the app's scripts: notes performance.now() at the first frame painted after
// the screen's condition holds (checked on every DOM change).
function watchFirstScreen(screen) {
  const visible = (node) => node && node.checkVisibility() && node.getBoundingClientRect().height > 0;
  const control = (text) => {
    const label = [...document.querySelectorAll("label")].find((l) => l.textContent.trim() === text);
    return label && label.control;
  };
  const ready = {
    login: () => {
      const email = control("Adresse e-mail");
      const password = control("Mot de passe");
      const submit = [...document.querySelectorAll("button")].find(
        (b) => b.textContent.trim() === "Se connecter");
      return [email, password, submit].every((n) => visible(n) && !n.disabled) &&
        email.form && email.form === submit.form;
    },
    queue: () => {
      const queue = document.getElementById("queue");
      return visible(queue) && queue.children.length > 0;
    },
    report: () => {
      const category = control("Catégorie");
      const submit = [...document.querySelectorAll("button")].find(
        (b) => b.textContent.trim() === "Envoyer le signalement");
      return visible(category) && category.options.length > 1 && visible(submit) && !submit.disabled;
    },
  }[screen];
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    requestAnimationFrame(() => {
      window.__firstScreenMs = performance.now();
    });
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
}

// One run ------------------------------------------------------------------------------------

async function run(browser, origin, profile, screen, session) {
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-FR",
    serviceWorkers: "block",
    storageState: session
      ? { cookies: [], origins: [{ origin, localStorage: [{ name: TOKENS_KEY, value: session }] }] }
      : undefined,
  });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.addInitScript(watchFirstScreen, screen);

    const cdp = await context.newCDPSession(page);
    const requests = new Map();
    cdp.on("Network.requestWillBeSent", ({ requestId, request, timestamp }) => {
      if (!requests.has(requestId)) {
        requests.set(requestId, { url: request.url, bytes: 0, done: false, start: timestamp, end: null });
      }
    });
    const finish = ({ requestId, encodedDataLength, timestamp }) => {
      const entry = requests.get(requestId);
      if (entry) Object.assign(entry, { bytes: encodedDataLength || 0, done: true, end: timestamp });
    };
    cdp.on("Network.loadingFinished", finish);
    cdp.on("Network.loadingFailed", (event) => finish({ ...event, encodedDataLength: 0 }));
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: profile.latency,
      downloadThroughput: profile.downloadThroughput,
      uploadThroughput: profile.uploadThroughput,
      connectionType: "cellular4g",
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU_RATE });

    await page.goto(`${origin}${SCREENS[screen]}`, { waitUntil: "commit", timeout: TIMEOUT_MS });
    await page.waitForFunction(() => window.__firstScreenMs !== undefined, null, {
      timeout: TIMEOUT_MS,
      polling: 100,
    });
    const ms = await page.evaluate(() => window.__firstScreenMs);
    // The screen is what a person would see: checked again through Playwright's locators.
    if (screen === "login") {
      for (const label of ["Adresse e-mail", "Mot de passe"]) {
        if (!(await page.getByLabel(label).isEditable())) throw new Error(`${label} not editable`);
      }
      if (!(await page.getByRole("button", { name: "Se connecter" }).isEnabled())) {
        throw new Error("the login button is not enabled");
      }
    } else if (screen === "queue" && !(await page.locator("#queue").isVisible())) {
      throw new Error("#queue is not visible");
    } else if (screen === "report" && !(await page.getByRole("button", { name: "Envoyer le signalement" }).isEnabled())) {
      throw new Error("the report form cannot be sent");
    }
    // Let requests already under way end, so their bytes count.
    const settled = Date.now() + 10_000;
    while ([...requests.values()].some((r) => !r.done) && Date.now() < settled) {
      await new Promise((wait) => setTimeout(wait, 100));
    }
    const network = [...requests.values()].filter((r) => !/^(data|blob):/.test(r.url));
    if (errors.length) throw new Error(`errors in the page: ${errors.join("; ")}`);
    // When each request started and ended, from the first one (CDP timestamps are seconds).
    const first = Math.min(...network.map((r) => r.start));
    const at = (t) => (t === null ? null : Math.round((t - first) * 1000));
    return {
      ms: Math.round(ms),
      bytes: network.reduce((sum, r) => sum + r.bytes, 0),
      requests: network.length,
      urls: network.map((r) => r.url),
      waterfall: network.map((r) => [r.url.slice(origin.length), at(r.start), at(r.end)]),
    };
  } finally {
    await context.close();
  }
}

// Main ---------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function logIn(origin, email) {
  const response = await fetch(`${origin}/api/v1/auth/token/`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify({ email, password: options.password }),
  });
  const body = await response.text();
  if (!response.ok) throw new Error(`login of ${email}: HTTP ${response.status} ${body.slice(0, 200)}`);
  return body; // {access, refresh, user}: kept whole, as the app keeps it
}

async function main() {
  const runs = Number(options.runs);
  const proxy = await startProxy(options.server, options["static-root"]);
  const browser = await chromium.launch({ executablePath: options.chromium, args: ["--no-sandbox"] });
  const result = {
    chromium: browser.version(),
    viewport: "360x740, deviceScaleFactor 2, mobile, touch",
    cpu_throttling_rate: CPU_RATE,
    runs,
    cache: "cold (a fresh context per run, HTTP cache disabled)",
    static: "collected static files served by a reverse proxy in front of gunicorn, gzipped",
    profiles: {},
  };
  let failed = false;
  try {
    const sessions = {
      login: null,
      queue: await logIn(proxy.origin, options.email),
      report: await logIn(proxy.origin, options["resident-email"]),
    };
    for (const name of options.profiles.split(",")) {
      const profile = PROFILES[name];
      if (!profile) throw new Error(`unknown profile ${name}: ${Object.keys(PROFILES).join(", ")}`);
      const screens = {};
      for (const screen of Object.keys(SCREENS)) {
        const samples = [];
        for (let i = 0; i < runs; i++) {
          samples.push(await run(browser, proxy.origin, profile, screen, sessions[screen]));
        }
        const foreign = [
          ...new Set(samples.flatMap((s) => s.urls).filter((url) => !url.startsWith(`${proxy.origin}/`))),
        ];
        if (foreign.length) failed = true;
        const ms = median(samples.map((s) => s.ms));
        const typical = samples.reduce((a, b) => (Math.abs(b.ms - ms) < Math.abs(a.ms - ms) ? b : a));
        screens[screen] = {
          median_ms: ms,
          runs_ms: samples.map((s) => s.ms),
          bytes: median(samples.map((s) => s.bytes)),
          requests: median(samples.map((s) => s.requests)),
          paths: [...new Set(samples[0].urls.map((url) => url.slice(proxy.origin.length)))],
          foreign_requests: foreign,
          // [path, start ms, end ms] of the run closest to the median.
          waterfall: typical.waterfall,
        };
      }
      const { label, latency, downloadThroughput, uploadThroughput } = profile;
      result.profiles[name] = {
        network: {
          label,
          latency_ms: latency,
          download_bytes_per_s: downloadThroughput,
          upload_bytes_per_s: uploadThroughput,
        },
        ...screens,
      };
    }
  } catch (error) {
    failed = true;
    result.error = String(error.message || error).slice(0, 500);
  } finally {
    await browser.close();
    await proxy.close();
  }
  result.ok = !failed;
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.exit(failed ? 1 : 0);
}

main();
