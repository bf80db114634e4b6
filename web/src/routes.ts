/**
 * The portal's pages. Every page is its own lazy chunk, so a role that never opens the users
 * page never downloads it. `navPages` drives both the menu and the role check in App.
 */
import type { RouteDefinition } from "@solidjs/router";
import { lazy } from "solid-js";
import { AUDIT_ROLES, USER_ADMIN_ROLES } from "./access";
import type { Role } from "./api";
import type { MessageKey } from "./i18n";

export interface NavPage {
  path: string;
  label: MessageKey;
  /** Roles that see the page; `"all"` for everyone signed in. */
  roles: readonly Role[] | "all";
  testId: string;
}

export const navPages: readonly NavPage[] = [
  { path: "/", label: "nav.home", roles: "all", testId: "nav-home" },
  { path: "/users", label: "nav.users", roles: USER_ADMIN_ROLES, testId: "nav-users" },
  { path: "/audit", label: "nav.audit", roles: AUDIT_ROLES, testId: "nav-audit" },
];

const allows = (page: NavPage, role: Role) => page.roles === "all" || page.roles.includes(role);

export const pagesFor = (role: Role): NavPage[] => navPages.filter((page) => allows(page, role));

/** Whether `role` may open `pathname`; paths outside `navPages` (404) are open to all. */
export function canOpen(pathname: string, role: Role): boolean {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const page = navPages.find((p) => p.path === path);
  return !page || allows(page, role);
}

/** Pages shown without the signed-in layout. */
export const PUBLIC_PATHS = new Set(["/login"]);

export const routes: RouteDefinition[] = [
  { path: "/login", component: lazy(() => import("./pages/Login")) },
  { path: "/", component: lazy(() => import("./pages/Home")) },
  { path: "/users", component: lazy(() => import("./pages/Users")) },
  { path: "/audit", component: lazy(() => import("./pages/Audit")) },
  { path: "*404", component: lazy(() => import("./pages/NotFound")) },
];
