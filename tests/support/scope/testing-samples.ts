/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/testing-core.test.ts). See docs/TESTING.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // samples and labels
  "POST /api/test-samples": "scoped",
  "GET /api/test-samples": "scoped",
  "GET /api/test-samples/{id}": "scoped",
  "GET /api/test-samples/by-barcode/{barcode}": "scoped",
  "GET /api/test-samples/{id}/label.pdf": "scoped",
  // pools
  "POST /api/test-pools": "scoped",
  "GET /api/test-pools": "scoped",
  "GET /api/test-pools/{id}": "scoped",
  "GET /api/test-pools/by-code/{code}": "scoped",
  "POST /api/test-pools/{id}/samples": "scoped",
  "DELETE /api/test-pools/{id}/samples/{sampleId}": "scoped",
  "POST /api/test-pools/{id}/seal": "scoped",
  "GET /api/test-pools/{id}/label.pdf": "scoped",
};
