// The moderators' screens: contributions waiting for a decision.
import * as api from "./api.js";
import { formatDate, t } from "./i18n.js";
import { field, h, moderatedOrganisations, onSubmit, render, setFlash, showFlash } from "./ui.js";

export async function moderationScreen() {
  const organisation = moderatedOrganisations(api.currentUser())[0];
  const [page, charter] = await Promise.all([
    api.get("/moderation/contributions/?state=pending&page_size=50"),
    organisation ? api.get(`/organisations/${organisation.organisation}/charter/`) : [],
  ]);
  const cards = page.results.map((c) => {
    const reason = h("select", { name: "reason" },
      h("option", { value: "" }, "—"),
      charter.map((r) => h("option", { value: r.id }, `${r.article} · ${r.label}`)));
    const message = h("textarea", { name: "message", rows: 2, maxlength: 2000 });
    const form = h("form", { class: "stack card", "data-contribution": c.id },
      h("p", { class: "meta" }, t("moderation.by", { name: c.author_name, consultation: c.consultation }), ` · ${formatDate(c.created_at)}`),
      h("p", {}, c.body),
      field(`reason-${c.id}`, t("moderation.reason"), reason),
      field(`message-${c.id}`, t("moderation.message"), message),
      h("div", { class: "buttons" },
        h("button", { type: "submit", value: "publish", class: "primary" }, t("moderation.publish")),
        h("button", { type: "submit", value: "reject", class: "danger" }, t("moderation.reject")),
      ),
    );
    return onSubmit(form, async (submitter) => {
      const action = submitter ? submitter.value : "publish";
      const body = { action, message: message.value };
      if (reason.value) body.reason = Number(reason.value);
      await api.post(`/moderation/contributions/${c.id}/decision/`, body);
      setFlash(t(action === "reject" ? "moderation.rejected" : "moderation.published"));
      await render(moderationScreen);
    });
  });
  return [
    showFlash(),
    h("h1", {}, t("moderation.title")),
    cards.length ? h("div", { class: "cards", id: "moderation" }, cards) : h("p", {}, t("moderation.empty")),
  ];
}

// Routes of this part: hash path -> screen (params are the hash's query).
export const routes = {
  "/moderation": () => moderationScreen(),
};
