/**
 * The portal's pages. Every page is its own lazy chunk, so a role that never opens the users
 * page never downloads it. `navPages` drives both the menu and the role check in App.
 */
import type { RouteDefinition } from "@solidjs/router";
import { lazy } from "solid-js";
import {
  ANNOUNCEMENT_ROLES,
  AUDIT_ROLES,
  COVERAGE_ROLES,
  DECLARATION_ROLES,
  LAB_ROLES,
  LABS_PAGE_ROLES,
  REPORT_ROLES,
  SAMPLER_ROLES,
  STATS_ROLES,
  TEST_OFFICER_ROLES,
  TEST_SITE_ROLES,
  TESTING_ROLES,
  TRACING_ROLES,
  USER_ADMIN_ROLES,
  VACCINATION_ROLES,
  VENUE_ROLES,
} from "./access";
import type { Role } from "./api";
import type { MessageKey } from "./i18n";

export interface NavPage {
  path: string;
  label: MessageKey;
  /** Roles that see the page (and the pages below its path); `"all"` for everyone signed in. */
  roles: readonly Role[] | "all";
  testId: string;
  /** Roles for which the menu leaves the entry out (the page still opens). */
  hiddenFor?: readonly Role[];
  /** False for a page below a menu entry that only some of its roles may open (not in the menu itself). */
  inMenu?: boolean;
}

export const navPages: readonly NavPage[] = [
  // Venue staff land on their venues, site staff on their vaccination or testing work and lab staff on the lab page ("/" sends them there), so Home is not in their menu.
  { path: "/", label: "nav.home", roles: "all", testId: "nav-home", hiddenFor: ["venue_staff", "site_staff", "lab_staff"] },
  { path: "/venues", label: "nav.venues", roles: VENUE_ROLES, testId: "nav-venues" },
  { path: "/cases", label: "nav.cases", roles: TRACING_ROLES, testId: "nav-cases" },
  { path: "/contacts", label: "nav.contacts", roles: TRACING_ROLES, testId: "nav-contacts" },
  { path: "/risky-venues", label: "nav.riskyVenues", roles: TRACING_ROLES, testId: "nav-risky-venues" },
  { path: "/declarations", label: "nav.declarations", roles: DECLARATION_ROLES, testId: "nav-declarations" },
  { path: "/reports", label: "nav.reports", roles: REPORT_ROLES, testId: "nav-reports" },
  { path: "/vaccination", label: "nav.vaccination", roles: VACCINATION_ROLES, testId: "nav-vaccination" },
  { path: "/vaccination/coverage", label: "vacc.nav.coverage", roles: COVERAGE_ROLES, testId: "nav-vaccination-coverage", inMenu: false },
  { path: "/testing", label: "nav.testing", roles: TESTING_ROLES, testId: "nav-testing" },
  { path: "/testing/campaigns", label: "test.nav.campaigns", roles: TEST_OFFICER_ROLES, testId: "nav-testing-campaigns", inMenu: false },
  { path: "/testing/sites", label: "test.nav.sites", roles: TEST_SITE_ROLES, testId: "nav-testing-sites", inMenu: false },
  { path: "/testing/desk", label: "test.nav.desk", roles: SAMPLER_ROLES, testId: "nav-testing-desk", inMenu: false },
  { path: "/testing/retests", label: "test.nav.retests", roles: SAMPLER_ROLES, testId: "nav-testing-retests", inMenu: false },
  { path: "/testing/lab", label: "test.nav.lab", roles: LAB_ROLES, testId: "nav-testing-lab", inMenu: false },
  { path: "/testing/labs", label: "test.nav.labs", roles: LABS_PAGE_ROLES, testId: "nav-testing-labs", inMenu: false },
  { path: "/testing/pools", label: "test.nav.pools", roles: TESTING_ROLES, testId: "nav-testing-pools", inMenu: false },
  { path: "/testing/samples", label: "test.nav.samples", roles: TESTING_ROLES, testId: "nav-testing-samples", inMenu: false },
  { path: "/testing/stats", label: "test.nav.stats", roles: TEST_OFFICER_ROLES, testId: "nav-testing-stats", inMenu: false },
  { path: "/stats", label: "nav.stats", roles: STATS_ROLES, testId: "nav-stats" },
  { path: "/announcements", label: "nav.announcements", roles: ANNOUNCEMENT_ROLES, testId: "nav-announcements" },
  { path: "/users", label: "nav.users", roles: USER_ADMIN_ROLES, testId: "nav-users" },
  { path: "/audit", label: "nav.audit", roles: AUDIT_ROLES, testId: "nav-audit" },
];

const allows = (page: NavPage, role: Role) => page.roles === "all" || page.roles.includes(role);

export const pagesFor = (role: Role): NavPage[] =>
  navPages.filter((page) => page.inMenu !== false && allows(page, role) && !page.hiddenFor?.includes(role));

/** The menu entry `path` belongs to: itself, or the closest parent ("/venues/x" → "/venues"). */
function pageOf(path: string): NavPage | undefined {
  const exact = navPages.find((p) => p.path === path);
  if (exact) return exact;
  return navPages
    .filter((p) => p.path !== "/" && path.startsWith(`${p.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0];
}

/** Whether `role` may open `pathname`; paths outside `navPages` (404) are open to all. */
export function canOpen(pathname: string, role: Role): boolean {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const page = pageOf(path);
  return !page || allows(page, role);
}

/**
 * Pages shown without the signed-in layout: the login page, and a venue's door display (a
 * full-screen QR for a tablet), which checks the session and the role itself.
 */
const CHROMELESS: readonly RegExp[] = [/^\/login\/?$/, /^\/venues\/[^/]+\/display\/?$/];
export const PUBLIC_PATHS = { has: (pathname: string): boolean => CHROMELESS.some((re) => re.test(pathname)) };

export const routes: RouteDefinition[] = [
  { path: "/login", component: lazy(() => import("./pages/Login")) },
  { path: "/", component: lazy(() => import("./pages/testing/Landing")) },
  { path: "/venues", component: lazy(() => import("./pages/Venues")) },
  { path: "/venues/:id", component: lazy(() => import("./pages/VenueDetail")) },
  { path: "/venues/:id/display", component: lazy(() => import("./pages/VenueDisplay")) },
  { path: "/cases", component: lazy(() => import("./pages/tracing/Cases")) },
  { path: "/cases/new", component: lazy(() => import("./pages/tracing/CaseNew")) },
  { path: "/cases/:id", component: lazy(() => import("./pages/tracing/CaseDetail")) },
  { path: "/contacts", component: lazy(() => import("./pages/tracing/Contacts")) },
  { path: "/contacts/:id", component: lazy(() => import("./pages/tracing/ContactDetail")) },
  { path: "/risky-venues", component: lazy(() => import("./pages/tracing/RiskyVenues")) },
  { path: "/declarations", component: lazy(() => import("./pages/declarations/Declarations")) },
  { path: "/declarations/:id", component: lazy(() => import("./pages/declarations/DeclarationDetail")) },
  { path: "/reports", component: lazy(() => import("./pages/reports/Reports")) },
  { path: "/reports/:id", component: lazy(() => import("./pages/reports/ReportDetail")) },
  { path: "/vaccination", component: lazy(() => import("./pages/vaccination/Entry")) },
  { path: "/vaccination/sites", component: lazy(() => import("./pages/vaccination/Sites")) },
  { path: "/vaccination/sites/:id", component: lazy(() => import("./pages/vaccination/SiteDetail")) },
  { path: "/vaccination/record", component: lazy(() => import("./pages/vaccination/RecordDose")) },
  { path: "/vaccination/doses", component: lazy(() => import("./pages/vaccination/Doses")) },
  { path: "/vaccination/people/:id", component: lazy(() => import("./pages/vaccination/PersonRecord")) },
  { path: "/vaccination/reactions", component: lazy(() => import("./pages/vaccination/Reactions")) },
  { path: "/vaccination/reactions/:id", component: lazy(() => import("./pages/vaccination/ReactionDetail")) },
  { path: "/vaccination/lots", component: lazy(() => import("./pages/vaccination/Lots")) },
  { path: "/vaccination/imports", component: lazy(() => import("./pages/vaccination/Imports")) },
  { path: "/vaccination/imports/:id", component: lazy(() => import("./pages/vaccination/ImportDetail")) },
  { path: "/vaccination/coverage", component: lazy(() => import("./pages/vaccination/Coverage")) },
  { path: "/testing", component: lazy(() => import("./pages/testing/Entry")) },
  { path: "/testing/campaigns", component: lazy(() => import("./pages/testing/Campaigns")) },
  { path: "/testing/campaigns/:id", component: lazy(() => import("./pages/testing/CampaignDetail")) },
  { path: "/testing/sites/:id", component: lazy(() => import("./pages/testing/TestSiteDetail")) },
  { path: "/testing/desk", component: lazy(() => import("./pages/testing/Desk")) },
  { path: "/testing/retests", component: lazy(() => import("./pages/testing/Retests")) },
  { path: "/testing/lab", component: lazy(() => import("./pages/testing/Lab")) },
  { path: "/testing/labs", component: lazy(() => import("./pages/testing/Labs")) },
  { path: "/testing/labs/:id", component: lazy(() => import("./pages/testing/LabDetail")) },
  { path: "/testing/pools", component: lazy(() => import("./pages/testing/Pools")) },
  { path: "/testing/pools/:id", component: lazy(() => import("./pages/testing/PoolDetail")) },
  { path: "/testing/samples", component: lazy(() => import("./pages/testing/Samples")) },
  { path: "/testing/samples/:id", component: lazy(() => import("./pages/testing/SampleDetail")) },
  { path: "/testing/stats", component: lazy(() => import("./pages/testing/Stats")) },
  { path: "/stats", component: lazy(() => import("./pages/stats/Stats")) },
  { path: "/announcements", component: lazy(() => import("./pages/announcements/Announcements")) },
  { path: "/users", component: lazy(() => import("./pages/Users")) },
  { path: "/audit", component: lazy(() => import("./pages/Audit")) },
  { path: "*404", component: lazy(() => import("./pages/NotFound")) },
];
