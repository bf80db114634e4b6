/**
 * The signed-in frame: header with the platform name, the menu for the user's role (a hamburger
 * below 900 px), the language switch, who is signed in, and logout.
 */
import { A, useLocation, useNavigate } from "@solidjs/router";
import { For, createEffect, createSignal, on, onCleanup, onMount, type JSX } from "solid-js";
import type { User } from "../api";
import { areaLabel, ensureAreaNames } from "../adminUnits";
import { roleLabel, t } from "../i18n";
import { pagesFor } from "../routes";
import { signOut } from "../session";
import LangSwitch from "./LangSwitch";
import Logo from "./Logo";

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0]?.[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase() || "?";
}

export default function Layout(props: { user: User; children: JSX.Element }) {
  const location = useLocation();
  const navigate = useNavigate();
  const [menuOpen, setMenuOpen] = createSignal(false);
  const [leaving, setLeaving] = createSignal(false);

  createEffect(() => ensureAreaNames(props.user.provinceCode, props.user.communeCode));
  // A tap on a menu entry navigates; the menu should not stay open over the new page.
  createEffect(on(() => location.pathname, () => setMenuOpen(false), { defer: true }));

  onMount(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && menuOpen()) setMenuOpen(false);
    };
    document.addEventListener("keydown", onKey);
    onCleanup(() => document.removeEventListener("keydown", onKey));
  });

  const logout = async () => {
    setLeaving(true);
    await signOut();
    navigate("/login", { replace: true });
  };

  return (
    <div class="shell">
      <a class="skip-link" href="#main">
        {t("app.skipToContent")}
      </a>
      <header class="topbar" classList={{ "menu-open": menuOpen() }}>
        <div class="topbar-inner">
          <A href="/" class="brand" data-testid="brand">
            <Logo />
            <span class="brand-text">
              <span class="brand-name">{t("app.name")}</span>
              <span class="brand-sub">{t("app.portal")}</span>
            </span>
          </A>
          <button
            type="button"
            class="nav-toggle"
            aria-controls="main-nav"
            aria-expanded={menuOpen()}
            aria-label={menuOpen() ? t("nav.closeMenu") : t("nav.openMenu")}
            data-testid="nav-toggle"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span class="hamburger" aria-hidden="true">
              <span />
              <span />
              <span />
            </span>
          </button>
          <div id="main-nav" class="nav-panel" classList={{ open: menuOpen() }} data-testid="nav">
            <nav aria-label={t("nav.label")}>
              <ul class="nav-links">
                <For each={pagesFor(props.user.role)}>
                  {(page) => (
                    <li>
                      <A href={page.path} end={page.path === "/"} data-testid={page.testId}>
                        {t(page.label)}
                      </A>
                    </li>
                  )}
                </For>
              </ul>
            </nav>
            <div class="nav-aside">
              <div class="user-chip" data-testid="user-info">
                <span class="avatar" aria-hidden="true">
                  {initials(props.user.displayName)}
                </span>
                <span class="user-text">
                  <strong class="user-name" data-testid="user-name">
                    {props.user.displayName}
                  </strong>
                  <span class="user-meta" data-testid="user-meta">
                    {roleLabel(props.user.role)} · {areaLabel(props.user.provinceCode, props.user.communeCode)}
                  </span>
                </span>
              </div>
              <div class="nav-actions">
                <LangSwitch />
                <button
                  type="button"
                  class="btn btn-ghost btn-small"
                  disabled={leaving()}
                  data-testid="logout"
                  onClick={() => void logout()}
                >
                  <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                    <path
                      d="M10 17v-3H3v-4h7V7l5 5-5 5zm2-15h8a2 2 0 0 1 2 2v16a2 2 0 0 1-2 2h-8v-2h8V4h-8V2z"
                      fill="currentColor"
                    />
                  </svg>
                  {t("nav.logout")}
                </button>
              </div>
            </div>
          </div>
        </div>
      </header>
      <div class="backdrop" classList={{ show: menuOpen() }} onClick={() => setMenuOpen(false)} aria-hidden="true" />
      <main id="main" class="main" tabindex="-1">
        {props.children}
      </main>
    </div>
  );
}
