/**
 * A router of a few lines (the app has a handful of screens; @solidjs/router would double the
 * bundle): the path under /app is a signal; links and navigate() push history entries.
 */
import { createSignal } from "solid-js";

export const BASE = "/app";

const current = () => {
  const p = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : "/";
  return p.replace(/\/+$/, "") || "/";
};
const [path, setPath] = createSignal(current());
const [query, setQuery] = createSignal(new URLSearchParams(location.search));
export { path, query };

/** Goes to `to` (a path under /app, e.g. "/profile?x=1"). */
export function navigate(to: string, replace = false): void {
  const url = BASE + (to === "/" ? "" : to);
  if (url !== location.pathname + location.search) history[replace ? "replaceState" : "pushState"](null, "", url);
  // The query first: a screen created by the new path reads it at once.
  setQuery(new URLSearchParams(location.search));
  setPath(current());
  if (!replace) scrollTo(0, 0);
}

addEventListener("popstate", () => {
  setQuery(new URLSearchParams(location.search));
  setPath(current());
});

/** For <a href> inside the app: a plain click navigates in place, modified clicks open a tab. */
export function linkClick(e: MouseEvent): void {
  const a = e.currentTarget as HTMLAnchorElement;
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  e.preventDefault();
  navigate(a.pathname.slice(BASE.length) + a.search || "/");
}
