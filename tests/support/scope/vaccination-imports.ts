/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/vaccination-imports.test.ts, "roles and scope").
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  "POST /api/vaccination-imports": "scoped",
  "GET /api/vaccination-imports": "scoped",
  "GET /api/vaccination-imports/{id}": "scoped",
  "GET /api/vaccination-imports/{id}/rejected.csv": "scoped",
  "POST /api/vaccination-imports/{id}/commit": "scoped",
  "POST /api/vaccination-imports/{id}/discard": "scoped",
};
