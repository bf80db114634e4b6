/** Testing statistics of an area (docs/TESTING.md). */
import { createRouter } from "../../http/openapi";

export const testStatsRoutes = createRouter();
