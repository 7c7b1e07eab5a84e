// The moderators' screens: the queue (contributions waiting for a first review, and those
// hidden by flags), each contribution in its context with the decisions it can be given,
// and the log of decisions.
import * as api from "./api.js";
import { formatDate, lang, t } from "./i18n.js";
import { errorBox, field, go, h, moderatedOrganisations, onSubmit, render, setFlash, showFlash } from "./ui.js";

const PAGE_SIZE = 20;
const LOG_PAGE_SIZE = 20;
const TABS = ["pending", "flagged"];

// The API does not list the decisions a contribution may be given: these follow the server's
// moderation machine. A pending contribution is published or rejected; one hidden by flags is
// restored, or hidden for good (the moderator confirms the flags). Whether a reason is
// required is the API's to say: its refusal is shown on the field it names.
const ACTIONS = {
  pending: [["publish", "primary"], ["reject", "danger"]],
  flagged: [["restore", "primary"], ["hide", "danger"]],
};

// Consultations and charters are read once per page load and language, not once per card.
const lookups = new Map();

function once(key, load) {
  const cacheKey = `${lang()}|${key}`;
  if (!lookups.has(cacheKey)) {
    lookups.set(cacheKey, load().catch((error) => {
      lookups.delete(cacheKey);
      throw error;
    }));
  }
  return lookups.get(cacheKey);
}

// A consultation the moderator cannot read is named by its slug.
const consultationOf = (slug) =>
  once(`consultation:${slug}`, () => api.get(`/consultations/${encodeURIComponent(slug)}/`)).catch(() => null);
const charterOf = (organisation) =>
  once(`charter:${organisation}`, () => api.get(`/organisations/${encodeURIComponent(organisation)}/charter/`));

async function consultationsOf(items) {
  const slugs = [...new Set(items.map((item) => item.consultation))];
  const found = await Promise.all(slugs.map(consultationOf));
  return new Map(slugs.map((slug, i) => [slug, found[i]]));
}

const queueOf = (item) => (item.state === "pending" ? "pending" : "flagged");

function queueHash(params, changes = {}) {
  const next = new URLSearchParams();
  for (const name of ["tab", "organisation"]) {
    const value = name in changes ? changes[name] : params.get(name);
    if (value && !(name === "tab" && value === "pending")) next.set(name, value);
  }
  if (changes.page && changes.page > 1) next.set("page", String(changes.page));
  const text = next.toString();
  return text ? `#/moderation?${text}` : "#/moderation";
}

function contributionCard(item, { consultation, parent, charter, params }) {
  const id = item.id;
  const reason = h("select", { name: "reason" },
    h("option", { value: "" }, t("moderation.no_reason")),
    charter.map((r) => h("option", { value: r.id }, `${r.article} · ${r.label}`)));
  const message = h("textarea", { name: "message", rows: 3, maxlength: 2000 });
  const heading = `contribution-${id}-title`;
  const written = [
    t("moderation.author", { name: item.author_name || "—" }),
    t("moderation.written", { date: formatDate(item.created_at) }),
    item.edited_at ? t("moderation.edited", { date: formatDate(item.edited_at) }) : null,
  ].filter(Boolean).join(" · ");
  const form = h("form", { class: "stack", "data-contribution": id, "aria-labelledby": heading },
    h("h2", { id: heading },
      h("span", { class: `badge kind-${item.kind}` }, t(`moderation.kind.${item.kind}`)),
      ` ${t("moderation.number", { id })}`),
    h("p", { class: "meta" }, t("moderation.in", { consultation: consultation ? consultation.title : item.consultation })),
    h("p", { class: "meta" }, written),
    queueOf(item) === "flagged"
      ? h("p", { class: "meta flagged-note" },
        h("span", { class: "badge flagged" }, t("moderation.flags", { count: item.flag_count })),
        ` ${t("moderation.hidden_since", { date: formatDate(item.flagged_at) })}`)
      : null,
    item.parent ? parentQuote(item.parent, parent) : null,
    h("p", { class: "contribution-body" }, item.body),
    field(`reason-${id}`, t("moderation.reason"), reason),
    field(`message-${id}`, t("moderation.message"), message),
    h("div", { class: "buttons" },
      ACTIONS[queueOf(item)].map(([action, style]) =>
        h("button", { type: "submit", name: "action", value: action, class: style }, t(`moderation.do.${action}`))),
    ),
  );
  onSubmit(form, async (submitter) => {
    if (!submitter || !submitter.value) return;
    const action = submitter.value;
    const body = { action, message: message.value.trim() };
    if (reason.value) body.reason = Number(reason.value);
    clearInvalid(form);
    try {
      await api.post(`/moderation/contributions/${id}/decision/`, body);
    } catch (error) {
      if (error instanceof api.ApiError && error.status === 409) {
        // Decided meanwhile by someone else: say why, over the queue as it is now.
        setFlash(error);
        await render(() => queueScreen(params));
        return;
      }
      // A refusal about the fields is written under them; any other is shown over the card.
      if (error instanceof api.ApiError && markInvalid(form, error.fields)) return;
      throw error;
    }
    setFlash(t(`moderation.done.${action}`));
    await render(() => queueScreen(params));
  });
  return h("li", { class: "card contribution" }, form);
}

function parentQuote(parentId, parent) {
  return h("blockquote", { class: "parent" },
    h("p", { class: "meta" }, parent
      ? t("moderation.reply_to", { name: parent.author_name || "—", id: parentId })
      : t("moderation.reply_to_unknown", { id: parentId })),
    parent ? h("p", { class: "contribution-body" }, parent.body) : null,
  );
}

function clearInvalid(form) {
  form.querySelectorAll(".field-error").forEach((node) => node.remove());
  form.querySelectorAll("[aria-invalid]").forEach((control) => {
    control.removeAttribute("aria-invalid");
    control.removeAttribute("aria-describedby");
  });
}

// The API's refusal written under the controls it names, the first of which takes the focus.
// Whether every field it names is a control of the form.
function markInvalid(form, fields) {
  const named = Object.entries(fields || {});
  const controls = named.map(([name]) => form.elements.namedItem(name));
  if (!named.length || controls.some((control) => !control || !control.id)) return false;
  let first = null;
  for (const [i, [, messages]] of named.entries()) {
    const control = controls[i];
    const note = h("p", { class: "field-error", id: `${control.id}-error` }, [].concat(messages).join(" "));
    control.after(note);
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", note.id);
    first ||= control;
  }
  first.focus();
  return true;
}

function pager(params, page, number) {
  if (!page.next && !page.previous) return null;
  const link = (n, label) => h("a", { href: queueHash(params, { page: n }), rel: n > number ? "next" : "prev" }, label);
  return h("nav", { class: "buttons pager", "aria-label": t("moderation.pages") },
    page.previous ? link(number - 1, `← ${t("moderation.previous")}`) : null,
    page.next ? link(number + 1, `${t("moderation.next")} →`) : null,
  );
}

function organisationFilter(params, organisations) {
  if (organisations.length < 2) return null;
  const chosen = params.get("organisation") || "";
  const select = h("select", { name: "organisation", onchange: (e) => go(queueHash(params, { organisation: e.target.value })) },
    h("option", { value: "" }, t("moderation.all_organisations")),
    organisations.map((o) => h("option", { value: o.organisation, selected: o.organisation === chosen }, o.organisation_name)));
  return h("form", { class: "panel", onsubmit: (e) => e.preventDefault() },
    field("moderation-organisation", t("moderation.organisation"), select));
}


export async function queueScreen(params) {
  const organisations = moderatedOrganisations(api.currentUser());
  const tab = TABS.includes(params.get("tab")) ? params.get("tab") : "pending";
  const number = Math.max(1, Number(params.get("page")) || 1);
  const query = new URLSearchParams({ state: tab, page_size: String(PAGE_SIZE), page: String(number) });
  if (params.get("organisation")) query.set("organisation", params.get("organisation"));
  let page;
  try {
    page = await api.get(`/moderation/contributions/?${query}`);
  } catch (error) {
    // The last cards of the last page were decided: that page is gone, the one before is not.
    if (error instanceof api.ApiError && error.status === 404 && number > 1) {
      go(queueHash(params, { page: number - 1 }));
      return [];
    }
    throw error;
  }
  const items = page.results;
  const parentIds = [...new Set(items.map((item) => item.parent).filter(Boolean))];
  const [consultations, parentList] = await Promise.all([
    consultationsOf(items),
    // Moderators may read any contribution of their organisations, the parent included.
    Promise.all(parentIds.map((pid) => api.get(`/contributions/${pid}/`).catch(() => null))),
  ]);
  const parents = new Map(parentIds.map((pid, i) => [pid, parentList[i]]));
  const organisationSlugs = [...new Set([...consultations.values()].filter(Boolean).map((c) => c.organisation.slug))];
  const charters = new Map(await Promise.all(organisationSlugs.map(async (o) => [o, await charterOf(o)])));

  const tabs = h("nav", { class: "tabs", "aria-label": t("moderation.queues") },
    TABS.map((name) => h("a", {
      href: queueHash(params, { tab: name }), id: `tab-${name}`, "aria-current": name === tab ? "page" : null,
    }, t(`moderation.tab.${name}`))));
  const cards = items.map((item) => {
    const consultation = consultations.get(item.consultation);
    return contributionCard(item, {
      consultation,
      parent: parents.get(item.parent),
      charter: (consultation && charters.get(consultation.organisation.slug)) || [],
      params,
    });
  });
  return [
    showFlash(),
    h("h1", {}, t("moderation.title")),
    h("p", { class: "meta" }, organisations.map((o) => o.organisation_name).join(", ")),
    h("p", {}, h("a", { href: "#/moderation/log", id: "log-link" }, t("moderation.log.link"))),
    organisationFilter(params, organisations),
    tabs,
    h("p", { class: "meta", id: "moderation-count", role: "status" }, t(`moderation.count.${tab}`, { count: page.count })),
    cards.length
      ? h("ul", { class: "cards", id: "moderation", "aria-label": t(`moderation.tab.${tab}`) }, cards)
      : h("p", { id: "moderation-empty" }, t(`moderation.empty.${tab}`)),
    pager(params, page, number),
  ];
}

// The log pages with the API's cursors: its next and previous links carry them.
const cursorOf = (link) => (link ? new URL(link, location.origin).searchParams.get("cursor") : null);

function logHash(cursor) {
  return cursor ? `#/moderation/log?${new URLSearchParams({ cursor })}` : "#/moderation/log";
}

function decisionCard(decision, consultation) {
  const who = decision.moderator
    || t(decision.action === "resubmit" ? "moderation.log.by_author" : "moderation.log.by_flags");
  const fact = (label, value) => [h("dt", {}, label), h("dd", {}, value)];
  return h("li", { class: "card decision", "data-decision": decision.id, "data-contribution": decision.contribution },
    h("h2", {}, `${t(`moderation.action.${decision.action}`)} · ${t("moderation.number", { id: decision.contribution })}`),
    h("dl", { class: "facts" },
      fact(t("moderation.log.when"), formatDate(decision.created_at)),
      fact(t("moderation.log.who"), h("span", { class: "who" }, who)),
      fact(t("moderation.log.consultation"), consultation ? consultation.title : decision.consultation),
      fact(t("moderation.log.states"),
        `${t(`moderation.state.${decision.from_state}`)} → ${t(`moderation.state.${decision.to_state}`)}`),
      decision.reason ? fact(t("moderation.log.reason"), `${decision.reason.article} · ${decision.reason.label}`) : null,
      decision.message
        ? fact(t("moderation.log.message"), h("span", { class: "contribution-body" }, decision.message))
        : null,
    ),
  );
}

export async function logScreen(params) {
  const back = h("p", {}, h("a", { href: "#/moderation" }, `← ${t("moderation.log.back")}`));
  const query = new URLSearchParams({ page_size: String(LOG_PAGE_SIZE) });
  if (params.get("cursor")) query.set("cursor", params.get("cursor"));
  let page;
  try {
    page = await api.get(`/moderation/log/?${query}`);
  } catch (error) {
    // The log is the moderators' and admins' of an organisation: the API's refusal says so.
    if (error instanceof api.ApiError && error.status === 403) {
      return [back, h("h1", {}, t("moderation.log.title")), errorBox(error)];
    }
    throw error;
  }
  const consultations = await consultationsOf(page.results);
  const older = cursorOf(page.next);
  const newer = cursorOf(page.previous);
  return [
    back,
    h("h1", {}, t("moderation.log.title")),
    page.results.length
      ? h("ol", { class: "cards", id: "moderation-log", "aria-label": t("moderation.log.title") },
        page.results.map((d) => decisionCard(d, consultations.get(d.consultation))))
      : h("p", { id: "moderation-log-empty" }, t("moderation.log.empty")),
    older || page.previous
      ? h("nav", { class: "buttons pager", "aria-label": t("moderation.pages") },
        page.previous ? h("a", { href: logHash(newer), rel: "prev" }, `← ${t("moderation.log.newer")}`) : null,
        older ? h("a", { href: logHash(older), rel: "next" }, `${t("moderation.log.older")} →`) : null)
      : null,
  ];
}

// Routes of this part: hash path -> screen (params are the hash's query).
export const routes = {
  "/moderation": (params) => queueScreen(params),
  "/moderation/log": (params) => logScreen(params),
};
