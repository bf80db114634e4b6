/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/testing-stats.test.ts, "scope"). See docs/TESTING.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // counts of the caller's area only; another area's commune or campaign is 404
  "GET /api/testing/stats": "scoped",
};
