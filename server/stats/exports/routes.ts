/** Streamed exports: aggregated tables, line lists (audited), the daily report (docs/STATS.md). */
import { createRouter } from "../../http/openapi";

export const exportRoutes = createRouter();
