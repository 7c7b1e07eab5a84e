// The resident app's strings for resident/consultations.js.
export default {
  fr: {},
  en: {},
};
