// The moderators' screens.
export default {
  fr: {
    "moderation.title": "Contributions à modérer",
    "moderation.empty": "Aucune contribution en attente.",
    "moderation.publish": "Publier",
    "moderation.reject": "Rejeter",
    "moderation.reason": "Motif (charte)",
    "moderation.message": "Message à l’auteur (facultatif)",
    "moderation.published": "Contribution publiée.",
    "moderation.rejected": "Contribution rejetée.",
    "moderation.by": "par {name}, dans « {consultation} »",
  },
  en: {
    "moderation.title": "Contributions to moderate",
    "moderation.empty": "No contribution is waiting.",
    "moderation.publish": "Publish",
    "moderation.reject": "Reject",
    "moderation.reason": "Reason (charter)",
    "moderation.message": "Message to the author (optional)",
    "moderation.published": "Contribution published.",
    "moderation.rejected": "Contribution rejected.",
    "moderation.by": "by {name}, in “{consultation}”",
  },
};
