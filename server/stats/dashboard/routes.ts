/** The dashboard of an area, read from the roll-ups (docs/STATS.md). */
import { createRouter } from "../../http/openapi";

export const dashboardRoutes = createRouter();
