/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/vaccination-sites.test.ts).
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // reference data: no personal data
  "GET /api/vaccine-products": "public",
  "GET /api/vaccine-lots": "public",
  "POST /api/vaccine-lots": "public",
  // sites and slots
  "GET /api/vaccination-sites": "scoped",
  "POST /api/vaccination-sites": "scoped",
  "GET /api/vaccination-sites/open": "public",
  "GET /api/vaccination-sites/{id}": "scoped",
  "PATCH /api/vaccination-sites/{id}": "scoped",
  "PUT /api/vaccination-sites/{id}/staff/{userId}": "scoped",
  "DELETE /api/vaccination-sites/{id}/staff/{userId}": "scoped",
  "GET /api/vaccination-sites/{id}/slots": "public",
  "POST /api/vaccination-sites/{id}/slots": "scoped",
  "DELETE /api/vaccination-slots/{id}": "scoped",
  // the citizen's own appointments
  "GET /api/me/vaccination/appointments": "self",
  "POST /api/me/vaccination/appointments": "self",
  "POST /api/me/vaccination/appointments/{id}/book": "self",
  "POST /api/me/vaccination/appointments/{id}/cancel": "self",
  "GET /api/me/vaccination/appointments/{id}/qr.svg": "self",
  // officers and site staff
  "POST /api/vaccination/appointments": "scoped",
  "GET /api/vaccination/appointments": "scoped",
  "POST /api/vaccination/appointments/{id}/book": "scoped",
  "POST /api/vaccination/appointments/{id}/cancel": "scoped",
  "POST /api/vaccination/appointments/check-in": "scoped",
};
