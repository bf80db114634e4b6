/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/vaccination-doses.test.ts, "scope").
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  "POST /api/vaccinations": "scoped",
  "GET /api/vaccinations": "scoped",
  "GET /api/vaccinations/{id}": "scoped",
  "PATCH /api/vaccinations/{id}": "scoped",
  "GET /api/people/{id}/vaccinations": "scoped",
  "POST /api/vaccinations/{id}/adverse-events": "scoped",
  "GET /api/adverse-events": "scoped",
  "GET /api/adverse-events/{id}": "scoped",
  "PATCH /api/adverse-events/{id}": "scoped",
  "POST /api/adverse-events/{id}/notes": "scoped",
  "GET /api/me/vaccination": "self",
  "POST /api/me/vaccinations/{id}/adverse-events": "self",
  "GET /api/vaccination/coverage": "scoped",
};
