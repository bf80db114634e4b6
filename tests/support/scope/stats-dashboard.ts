/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/dashboard.test.ts, "scope"). See docs/STATS.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // figures of the caller's area only; a province or commune outside it is 404
  "GET /api/stats/dashboard": "scoped",
  // reference data (labels only): no personal data, no figures
  "GET /api/stats/metrics": "public",
};
