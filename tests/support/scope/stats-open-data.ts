/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests. See docs/STATS.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // aggregated per province and day, small counts suppressed: no personal data
  "GET /api/open-data/daily": "public",
  "GET /api/open-data/daily.csv": "public",
};
