/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests. See docs/STATS.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // officers: their area's announcements (tests/api/announcements.test.ts proves the refusals)
  "GET /api/announcements": "scoped",
  "POST /api/announcements": "scoped",
  "PATCH /api/announcements/{id}": "scoped",
  // the public situation of a province: open figures and published announcements, no personal data
  "GET /api/public/situation/{provinceCode}": "public",
};
