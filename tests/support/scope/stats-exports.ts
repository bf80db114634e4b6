/**
 * Routes of this capability for the scope matrix (tests/api/scope.security.test.ts checks the
 * OpenAPI document lists exactly the routes registered across tests/support/scope/*). "scoped"
 * routes must have out-of-area refusal tests in this capability's API tests
 * (tests/api/exports.test.ts). See docs/STATS.md.
 */
import type { RouteScope } from "./kinds";

export const ROUTES: Record<string, RouteScope> = {
  // the aggregated table (roll-ups of the caller's area)
  "GET /api/exports/stats.csv": "scoped",
  "GET /api/exports/stats.xlsx": "scoped",
  "GET /api/exports/stats.json": "scoped",
  // line lists (personal data, audited)
  "GET /api/exports/line-lists/cases.csv": "scoped",
  "GET /api/exports/line-lists/cases.xlsx": "scoped",
  "GET /api/exports/line-lists/cases.json": "scoped",
  "GET /api/exports/line-lists/contacts.csv": "scoped",
  "GET /api/exports/line-lists/contacts.xlsx": "scoped",
  "GET /api/exports/line-lists/contacts.json": "scoped",
  "GET /api/exports/line-lists/doses.csv": "scoped",
  "GET /api/exports/line-lists/doses.xlsx": "scoped",
  "GET /api/exports/line-lists/doses.json": "scoped",
  // the daily report
  "GET /api/exports/daily-report.xlsx": "scoped",
};
