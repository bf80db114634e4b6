/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/certificates.test.ts; test certificates: tests/api/test-certificates.test.ts).
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // the citizen's own card and their family's (a stranger's personId is 404)
  "GET /api/me/certificates/vaccination": "self",
  "GET /api/me/certificates/vaccination.pdf": "self",
  "GET /api/me/certificates/vaccination.smart-health-card": "self",
  // officers print for a person of their area; province and national officers revoke
  "GET /api/people/{id}/certificates/vaccination": "scoped",
  "GET /api/people/{id}/certificates/vaccination.pdf": "scoped",
  // test certificates (docs/TESTING.md): the same split; out-of-area refusals in tests/api/test-certificates.test.ts
  "GET /api/me/certificates/test": "self",
  "GET /api/me/certificates/test.pdf": "self",
  "GET /api/people/{id}/certificates/test": "scoped",
  "GET /api/people/{id}/certificates/test.pdf": "scoped",
  "POST /api/certificates/revocations": "scoped",
  // anyone checks a card (no personal data beyond what the presented card itself carries)
  "POST /api/certificates/verify": "public",
};
