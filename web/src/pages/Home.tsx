import { A } from "@solidjs/router";
import { For, Show } from "solid-js";
import { areaLabel } from "../adminUnits";
import { formatDateTime, roleLabel, t, type MessageKey } from "../i18n";
import { pagesFor } from "../routes";
import { session } from "../session";

const DESCRIPTIONS: Partial<Record<string, MessageKey>> = {
  "/cases": "home.cases.desc",
  "/contacts": "home.contacts.desc",
  "/risky-venues": "home.riskyVenues.desc",
  "/declarations": "home.declarations.desc",
  "/reports": "home.reports.desc",
  "/vaccination": "home.vaccination.desc",
  "/testing": "home.testing.desc",
  "/stats": "home.stats.desc",
  "/announcements": "home.announcements.desc",
  "/users": "home.users.desc",
  "/audit": "home.audit.desc",
};

export default function HomePage() {
  // App only renders pages inside the layout once the user is known.
  const user = () => session.user()!;
  const links = () => pagesFor(user().role).filter((p) => DESCRIPTIONS[p.path]);

  return (
    <section class="page" data-testid="home-page">
      <header class="page-head">
        <div>
          <h1 data-testid="home-title">{t("home.greeting", { name: user().displayName })}</h1>
          <p class="muted">{t("home.lead")}</p>
        </div>
      </header>

      <div class="home-grid">
        <section class="card" aria-labelledby="home-account">
          <h2 id="home-account">{t("home.account")}</h2>
          <dl class="facts" data-testid="home-account">
            <div>
              <dt>{t("home.username")}</dt>
              <dd>
                <code>{user().username}</code>
              </dd>
            </div>
            <div>
              <dt>{t("home.role")}</dt>
              <dd>
                <span class={`role-badge role-${user().role}`} data-testid="home-role">
                  {roleLabel(user().role)}
                </span>
              </dd>
            </div>
            <div>
              <dt>{t("home.area")}</dt>
              <dd data-testid="home-area">{areaLabel(user().provinceCode, user().communeCode)}</dd>
            </div>
            <div>
              <dt>{t("home.lastLogin")}</dt>
              <dd>{user().lastLoginAt ? formatDateTime(user().lastLoginAt) : t("users.never")}</dd>
            </div>
            <div>
              <dt>{t("home.memberSince")}</dt>
              <dd>{formatDateTime(user().createdAt)}</dd>
            </div>
          </dl>
        </section>

        <section class="card" aria-labelledby="home-links">
          <h2 id="home-links">{t("home.quickLinks")}</h2>
          <Show when={links().length > 0} fallback={<p class="muted">{t("home.nothingYet")}</p>}>
            <ul class="quick-links">
              <For each={links()}>
                {(page) => (
                  <li>
                    <A href={page.path} class="quick-link" data-testid={`quick-${page.testId}`}>
                      <strong>{t(page.label)}</strong>
                      <span class="muted">{t(DESCRIPTIONS[page.path]!)}</span>
                      <span class="chevron" aria-hidden="true">
                        ›
                      </span>
                    </A>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </section>
      </div>
    </section>
  );
}
