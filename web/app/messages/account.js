// The resident app's strings for resident/account.js.
export default {
  fr: {},
  en: {},
};
