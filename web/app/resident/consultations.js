// Consultations for residents: open, upcoming and past ones, a consultation's page, taking part.
export const routes = [];
export const publicRoutes = [];
export const nav = [];
