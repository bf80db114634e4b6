/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/testing-results.test.ts, "scope"). See docs/TESTING.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // lab staff of the pool's / sample's lab, site staff of a rapid test's site, officers of the area; others 404
  "POST /api/test-pools/{id}/result": "scoped",
  "POST /api/test-samples/{id}/result": "scoped",
  // a code outside the caller's lab or area is a rejected row (unknown_code / not_your_lab), nothing written
  "POST /api/test-results/batch": "scoped",
  "POST /api/test-results/import": "scoped",
  // the citizen's own and their family's tests
  "GET /api/me/tests": "self",
};
