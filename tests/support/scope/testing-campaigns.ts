/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/testing-core.test.ts). See docs/TESTING.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // campaigns
  "GET /api/test-campaigns": "scoped",
  "POST /api/test-campaigns": "scoped",
  "GET /api/test-campaigns/{id}": "scoped",
  "PATCH /api/test-campaigns/{id}": "scoped",
  "GET /api/test-campaigns/{id}/sites": "scoped",
  "POST /api/test-campaigns/{id}/sites": "scoped",
  // testing sites and their staff
  "GET /api/test-sites/mine": "self",
  "GET /api/test-sites/{id}": "scoped",
  "PATCH /api/test-sites/{id}": "scoped",
  "PUT /api/test-sites/{id}/staff/{userId}": "scoped",
  "DELETE /api/test-sites/{id}/staff/{userId}": "scoped",
  // labs and their staff
  "GET /api/labs": "scoped",
  "POST /api/labs": "scoped",
  "GET /api/labs/{id}": "scoped",
  "PUT /api/labs/{id}/staff/{userId}": "scoped",
  "DELETE /api/labs/{id}/staff/{userId}": "scoped",
};
