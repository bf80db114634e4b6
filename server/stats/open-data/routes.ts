/** Open data: aggregated figures per province and day, small counts suppressed (docs/STATS.md). */
import { createRouter } from "../../http/openapi";

export const openDataRoutes = createRouter();
