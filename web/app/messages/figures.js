// The managers' figures and exports.
export default {
  fr: {},
  en: {},
};
