// One's inbox, alerts and account.
export const routes = [];
export const publicRoutes = [];
export const nav = [];
