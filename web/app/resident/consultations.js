// Consultations for residents: open, upcoming and past ones, a consultation's page, taking part.
import * as api from "../api.js";
import { formatDate, lang, t } from "../i18n.js";
import { createMap } from "../map.js";
import { errorBox, h, onSubmit, toggleButton } from "../ui.js";

const TABS = { open: ["open"], upcoming: ["upcoming"], past: ["closed", "restitution"] };

// The API's rich text is already cleaned by the server; it is rebuilt here node by node from
// a short list of tags, so nothing but text and these tags can reach the page.
const RICH = new Set(["P", "BR", "STRONG", "B", "EM", "I", "UL", "OL", "LI", "A", "BLOCKQUOTE", "H2", "H3", "H4"]);

function richText(html) {
  const parsed = new DOMParser().parseFromString(html || "", "text/html");
  const copy = (node) => {
    if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.textContent);
    if (node.nodeType !== Node.ELEMENT_NODE) return null;
    const children = [...node.childNodes].map(copy).filter(Boolean);
    if (!RICH.has(node.tagName)) return children;
    // Headings of the text sit below the page's own (h1, h2 sections).
    const tag = /^H[234]$/.test(node.tagName) ? "h3" : node.tagName.toLowerCase();
    const href = node.getAttribute("href") || "";
    const attrs = tag === "a" && /^(https?:|mailto:)/i.test(href) ? { href, rel: "noopener" } : {};
    return h(tag, attrs, children);
  };
  return h("div", { class: "stack rich" }, [...parsed.body.childNodes].map(copy));
}

const day = (iso) => (iso ? new Intl.DateTimeFormat(lang() === "en" ? "en-GB" : "fr-FR", { dateStyle: "long", timeZone: "Europe/Paris" })
  .format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)) : "");

function card(c) {
  return h("li", { class: "card" },
    h("a", { class: "card-link", href: `#/concertation/${encodeURIComponent(c.slug)}` }, h("span", { class: "title" }, c.title)),
    h("p", {}, h("span", { class: "badge" }, t(`res.cons.status.${c.status}`)), " · ", c.organisation?.name || ""),
    h("p", { class: "meta" }, t("res.cons.dates", { opens: day(c.opens_at), closes: day(c.closes_at) })),
    c.summary ? h("p", { class: "excerpt" }, c.summary) : null,
  );
}

// The consultations of a tab on the map, each perimeter opening the consultation's page
// (one with no perimeter drawn is in the list only).
function consultationsMap(statuses) {
  const box = h("div", { class: "map", id: "consultations-map", role: "region", "aria-label": t("res.cons.map") });
  const status = h("p", { class: "meta", role: "status", id: "consultations-map-status" });
  setTimeout(async () => {
    try {
      const [{ L, map }, ...collections] = await Promise.all([
        createMap(box),
        ...statuses.map((s) => api.request("GET", `/consultations/map/?status=${s}`, { headers: { Accept: "application/geo+json" } })),
      ]);
      const features = collections.flatMap((c) => c.features).filter((f) => f.geometry);
      const layer = L.geoJSON({ type: "FeatureCollection", features }, {
        style: { color: "#000091", weight: 2, fillOpacity: 0.15 },
        onEachFeature: (feature, shape) => {
          const link = h("a", { href: `#/concertation/${encodeURIComponent(feature.id)}` }, feature.properties.title);
          shape.bindPopup(link);
        },
      }).addTo(map);
      if (features.length) map.fitBounds(layer.getBounds(), { maxZoom: 14 });
      status.textContent = t("res.cons.map_count", { count: features.length });
    } catch {
      status.textContent = t("res.cons.map_offline");
    }
  }, 0);
  return [status, box];
}

async function listScreen(params) {
  const tab = TABS[params.get("statut")] ? params.get("statut") : "open";
  const onMap = params.get("vue") === "carte";
  const pages = onMap ? [] : await Promise.all(TABS[tab].map((status) => api.get(`/consultations/?status=${status}&page_size=100`)));
  const found = pages.flatMap((p) => p.results);
  if (tab === "past") found.sort((a, b) => (b.closes_at || "").localeCompare(a.closes_at || ""));
  const here = (view) => `#/concertations?statut=${tab}${view ? `&vue=${view}` : ""}`;
  return [
    h("h1", {}, t("res.cons.title")),
    h("nav", { class: "tabs", "aria-label": t("res.cons.tabs") }, Object.keys(TABS).map((key) =>
      h("a", { href: `#/concertations?statut=${key}${onMap ? "&vue=carte" : ""}`, "aria-current": key === tab ? "page" : null }, t(`res.cons.tab.${key}`)))),
    h("p", {}, onMap
      ? h("a", { href: here(null) }, t("res.cons.as_list"))
      : h("a", { href: here("carte") }, t("res.cons.as_map"))),
    onMap ? consultationsMap(TABS[tab]) : [
      h("p", { class: "meta", role: "status" }, t("res.cons.count", { count: found.length })),
      found.length ? h("ul", { class: "cards", id: "consultations" }, found.map(card)) : h("p", { class: "meta" }, t(`res.cons.empty.${tab}`)),
    ],
  ];
}

function phasesSection(consultation) {
  if (!consultation.phases.length) return null;
  return h("section", { id: "phases", class: "stack" },
    h("h2", {}, t("res.cons.phases")),
    h("ol", { class: "timeline" }, consultation.phases.map((p) => h("li", {},
      h("p", {}, h("strong", {}, p.name)),
      h("p", { class: "meta" }, p.ends_on ? t("res.cons.phase_dates", { starts: day(p.starts_on), ends: day(p.ends_on) }) : t("res.cons.phase_from", { starts: day(p.starts_on) })),
      p.description ? h("p", {}, p.description) : null,
    ))),
  );
}

// A meeting: where and when, its .ics, and registering on the platform for a resident.
function meetingItem(consultation, meeting, repaint) {
  const base = `/consultations/${encodeURIComponent(consultation.slug)}/meetings/${meeting.id}`;
  const state = h("p", { class: "meta", role: "status" });
  const seats = meeting.capacity
    ? t("res.cons.seats_of", { taken: meeting.seats_taken, capacity: meeting.capacity })
    : t("res.cons.seats", { taken: meeting.seats_taken });
  if (meeting.my_registration) state.textContent = t(`res.cons.registered.${meeting.my_registration}`);
  const act = async (method) => {
    try {
      await api.request(method, `${base}/registration/`);
      await repaint(method === "POST" ? "res.cons.register_done" : "res.cons.unregister_done");
    } catch (error) {
      state.replaceChildren(errorBox(error));
    }
  };
  let action = null;
  if (meeting.registration === "platform" && consultation.status !== "closed" && consultation.status !== "restitution") {
    if (!api.currentUser()) action = h("a", { href: "#/login" }, t("res.cons.login_to_register"));
    else if (meeting.my_registration) action = h("button", { type: "button", onclick: () => act("DELETE") }, t("res.cons.unregister"));
    else action = h("button", { type: "button", class: "primary", onclick: () => act("POST") }, t("res.cons.register"));
  } else if (meeting.registration === "external" && meeting.registration_url) {
    action = h("a", { href: meeting.registration_url, rel: "noopener" }, t("res.cons.register_external"));
  }
  return h("li", { class: "card", "data-meeting": meeting.id },
    h("h3", {}, meeting.title),
    h("p", {}, t("res.cons.meeting_when", { starts: formatDate(meeting.starts_at), ends: formatDate(meeting.ends_at) })),
    meeting.place_name || meeting.address ? h("p", { class: "meta" }, [meeting.place_name, meeting.address].filter(Boolean).join(", ")) : null,
    meeting.online_url ? h("p", {}, h("a", { href: meeting.online_url, rel: "noopener" }, t("res.cons.online"))) : null,
    meeting.description ? h("p", {}, meeting.description) : null,
    meeting.registration === "platform" ? h("p", { class: "meta" }, seats) : null,
    h("div", { class: "actions" }, action,
      h("a", { href: `/api/v1${base}/calendar.ics`, download: `reunion-${meeting.id}.ics` }, t("res.cons.ics_one"))),
    state,
  );
}

function meetingsSection(consultation) {
  if (!consultation.meetings.length) return null;
  const section = h("section", { id: "meetings", class: "stack" });
  const paint = (current, message) => {
    section.replaceChildren(...[
      h("h2", {}, t("res.cons.meetings")),
      message ? h("p", { class: "flash", role: "status" }, t(message)) : null,
      h("p", {}, h("a", { href: `/api/v1/consultations/${encodeURIComponent(current.slug)}/calendar.ics`, download: `${current.slug}.ics` }, t("res.cons.ics_all"))),
      h("ul", { class: "cards" }, current.meetings.map((m) => meetingItem(current, m, repaint))),
    ].filter(Boolean));
  };
  const repaint = async (message) => paint(await api.get(`/consultations/${encodeURIComponent(consultation.slug)}/`), message);
  paint(consultation);
  return section;
}

function documentsSection(documents, id = "documents", title = "res.cons.documents") {
  if (!documents?.length) return null;
  return h("section", { id, class: "stack" },
    h("h2", {}, t(title)),
    h("ul", {}, documents.map((d) => h("li", {}, h("a", { href: d.url }, d.title),
      " ", h("span", { class: "meta" }, `(${Math.max(1, Math.round(d.size / 1024))} ko)`)))),
  );
}

async function restitutionSection(consultation) {
  if (!consultation.restitution_published_at) return null;
  let restitution;
  try {
    restitution = await api.get(`/consultations/${encodeURIComponent(consultation.slug)}/restitution/`);
  } catch (error) {
    if (!(error instanceof api.ApiError) || error.status !== 403) throw error;
    return h("section", { id: "restitution", class: "stack" }, h("h2", {}, t("res.cons.restitution")), h("p", { class: "meta" }, t("res.cons.restitution_participants")));
  }
  const figures = restitution.key_figures;
  return h("section", { id: "restitution", class: "stack" },
    h("h2", {}, t("res.cons.restitution")),
    h("p", { class: "meta" }, t("res.cons.restitution_at", { date: day(restitution.published_at) })),
    figures ? h("p", {}, t("res.cons.figures", { participants: figures.participants, contributions: figures.contributions })) : null,
    richText(restitution.body),
    documentsSection(restitution.documents, "restitution-documents", "res.cons.restitution_documents"),
  );
}

// What the author alone sees of their contribution: its moderation state, and a refusal's reason.
function moderationState(contribution, reasons) {
  if (!contribution.mine) return null;
  const mine = reasons.get(contribution.id);
  const reason = mine?.moderation_reason;
  return h("p", { class: "meta", "data-state": contribution.state },
    h("span", { class: `badge state-${contribution.state}` }, t(`res.cons.state.${contribution.state}`)),
    contribution.state === "rejected" || contribution.state === "hidden"
      ? [reason ? ` · ${t("res.cons.reason", { label: reason.label, article: reason.article })}` : "",
        mine?.moderation_message ? ` · ${mine.moderation_message}` : ""]
      : null,
  );
}

function supportButton(contribution) {
  const counter = h("span", {}, t("res.cons.supports", { count: contribution.support_count }));
  if (!api.currentUser() || contribution.mine || contribution.state !== "published") return h("p", { class: "meta" }, counter);
  const button = toggleButton({
    ariaPressed: true,
    pressed: () => contribution.supported,
    label: (on) => t(on ? "res.cons.unsupport" : "res.cons.support"),
    toggle: async () => {
      Object.assign(contribution, await api.request(contribution.supported ? "DELETE" : "POST", `/contributions/${contribution.id}/support/`));
      counter.textContent = t("res.cons.supports", { count: contribution.support_count });
    },
  });
  return h("div", { class: "actions" }, button, h("span", { class: "meta", role: "status" }, counter));
}

function contributionItem(consultation, contribution, reasons, canComment) {
  const answer = contribution.answer;
  const item = h("li", { class: "card contribution", "data-contribution": contribution.id },
    h("p", {}, h("span", { class: `badge kind-${contribution.kind}` }, t(`res.cons.kind.${contribution.kind}`)),
      " ", h("span", { class: "meta" }, t("res.cons.by", { name: contribution.author_name, date: formatDate(contribution.published_at || contribution.created_at) }))),
    h("p", { class: "contribution-body" }, contribution.body),
    moderationState(contribution, reasons),
    answer ? h("div", { class: "panel" },
      h("p", {}, h("strong", {}, t("res.cons.answer", { direction: answer.direction?.name || consultation.organisation?.name || "" })),
        " · ", t(`res.cons.answer.${answer.status}`)),
      h("p", {}, answer.body)) : null,
    supportButton(contribution),
  );
  if (contribution.state === "published" && (contribution.reply_count || canComment)) item.append(commentsBox(consultation, contribution, reasons, canComment));
  return item;
}

// Comments are the replies to a contribution, loaded when opened.
function commentsBox(consultation, contribution, reasons, canComment) {
  const list = h("ul", { class: "cards" });
  const box = h("details", { class: "more" }, h("summary", {}, t("res.cons.comments", { count: contribution.reply_count })), list);
  const load = async () => {
    const page = await api.get(`/contributions/${contribution.id}/replies/?page_size=100`);
    list.replaceChildren(...page.results.map((r) => h("li", { class: "card" },
      h("p", { class: "meta" }, t("res.cons.by", { name: r.author_name, date: formatDate(r.published_at || r.created_at) })),
      h("p", { class: "contribution-body" }, r.body),
      moderationState(r, reasons))));
  };
  let loaded = false;
  box.addEventListener("toggle", () => { if (box.open && !loaded) { loaded = true; load().catch((e) => list.replaceChildren(errorBox(e))); } });
  if (canComment && api.currentUser()) {
    const id = `comment-${contribution.id}`;
    const text = h("textarea", { name: "body", rows: 3, required: true, id });
    const done = h("p", { class: "meta", role: "status" });
    const form = h("form", { class: "stack", novalidate: true },
      h("label", { for: id }, t("res.cons.comment_label")), text,
      h("button", { type: "submit" }, t("res.cons.comment_submit")), done);
    onSubmit(form, async () => {
      const created = await api.post(`/consultations/${encodeURIComponent(consultation.slug)}/contributions/`, { kind: "comment", body: text.value.trim(), parent: contribution.id });
      text.value = "";
      done.textContent = t(created.state === "pending" ? "res.cons.sent_pending" : "res.cons.sent_published");
      loaded = true;
      await load();
    });
    box.append(form);
  }
  return box;
}

async function contributionsSection(consultation) {
  const slug = encodeURIComponent(consultation.slug);
  const user = api.currentUser();
  const kinds = consultation.allowed_kinds.filter((k) => k !== "comment");
  const canComment = consultation.allowed_kinds.includes("comment");
  const section = h("section", { id: "contributions", class: "stack" });
  const paint = async (message) => {
    const [page, mine] = await Promise.all([
      api.get(`/consultations/${slug}/contributions/?page_size=100`),
      user ? api.get("/me/contributions/?page_size=100").catch(() => ({ results: [] })) : { results: [] },
    ]);
    const reasons = new Map(mine.results.map((c) => [c.id, c]));
    const items = page.results;
    section.replaceChildren(...[
      h("h2", {}, t("res.cons.contributions", { count: page.count })),
      message ? h("p", { class: "flash", role: "status" }, message) : null,
      form,
      items.length ? h("ul", { class: "cards", id: "contribution-list" }, items.map((c) => contributionItem(consultation, c, reasons, canComment)))
        : h("p", { class: "meta" }, t("res.cons.no_contributions")),
    ].filter(Boolean));
  };
  let form = null;
  if (kinds.length && consultation.participation?.is_open) {
    if (!user) {
      form = h("p", { id: "contribute" }, h("a", { href: "#/login" }, t("res.cons.login_to_contribute")), " ", t("res.cons.or"), " ",
        h("a", { href: "#/inscription" }, t("res.register.switch")));
    } else {
      const choices = kinds.map((kind, i) => h("label", { class: "choice" },
        h("input", { type: "radio", name: "kind", value: kind, checked: i === 0 }), " ", t(`res.cons.kind.${kind}`)));
      const text = h("textarea", { name: "body", rows: 5, required: true, id: "contribution-body" });
      form = h("form", { class: "stack", id: "contribute", novalidate: true },
        h("h3", {}, t("res.cons.contribute")),
        kinds.length > 1 ? h("fieldset", { class: "choices" }, h("legend", {}, t("res.cons.kind")), choices) : null,
        h("div", { class: "field" }, h("label", { for: "contribution-body" }, t("res.cons.body")), text),
        consultation.participation.moderation_mode === "a_priori" ? h("p", { class: "meta" }, t("res.cons.a_priori")) : null,
        h("button", { type: "submit", class: "primary" }, t("res.cons.submit")));
      onSubmit(form, async () => {
        const kind = form.querySelector("input[name=kind]:checked")?.value || kinds[0];
        if (!text.value.trim()) throw new api.ApiError(400, { detail: t("res.cons.empty_body") });
        const created = await api.post(`/consultations/${slug}/contributions/`, { kind, body: text.value.trim() });
        text.value = "";
        await paint(t(created.state === "pending" ? "res.cons.sent_pending" : "res.cons.sent_published"));
      });
    }
  }
  await paint();
  return section;
}

function followButton(consultation) {
  if (!api.currentUser()) return null;
  const button = toggleButton({
    id: "follow-consultation",
    ariaPressed: true,
    pressed: () => consultation.following,
    label: (on) => t(on ? "res.cons.unfollow" : "res.cons.follow"),
    toggle: async () => {
      Object.assign(consultation, await api.request(consultation.following ? "DELETE" : "POST", `/consultations/${encodeURIComponent(consultation.slug)}/follow/`));
    },
  });
  return h("div", { class: "actions" }, button);
}

async function detailScreen(slug) {
  const consultation = await api.get(`/consultations/${encodeURIComponent(slug)}/`);
  const local = !consultation.is_relayed;
  const [contributions, restitution] = await Promise.all([
    local && (consultation.allowed_kinds.length || consultation.status !== "upcoming") ? contributionsSection(consultation) : null,
    restitutionSection(consultation),
  ]);
  return [
    h("p", {}, h("a", { href: "#/concertations" }, t("res.cons.back"))),
    h("h1", {}, consultation.title),
    h("p", {}, h("span", { class: "badge" }, t(`res.cons.status.${consultation.status}`)), " · ", consultation.organisation?.name || ""),
    h("p", { class: "meta" }, t("res.cons.dates", { opens: day(consultation.opens_at), closes: day(consultation.closes_at) })),
    consultation.summary ? h("p", {}, h("strong", {}, consultation.summary)) : null,
    consultation.body ? richText(consultation.body) : null,
    consultation.is_relayed && consultation.external_url
      ? h("p", {}, h("a", { href: consultation.external_url, rel: "noopener" }, t("res.cons.external"))) : null,
    followButton(consultation),
    restitution,
    phasesSection(consultation),
    meetingsSection(consultation),
    documentsSection(consultation.documents),
    contributions,
  ];
}

export const routes = [];

// Anyone may read the consultations; taking part asks for an account on the page itself.
export const publicRoutes = [
  ["/concertations", (_, params) => listScreen(params)],
  [/^\/concertation\/([\w-]+)$/, (match) => detailScreen(match[1])],
];

export const nav = [["#/concertations", "res.cons.nav"]];
export const publicNav = [["#/concertations", "res.cons.nav"]];
