/**
 * The vaccination section's own menu (sites, record a dose, doses, reactions, lots, imports,
 * coverage), as the role may use them. A row of tabs that scrolls sideways on a phone.
 */
import { A } from "@solidjs/router";
import { For } from "solid-js";
import { COVERAGE_ROLES, canVaccinate } from "../../access";
import type { Role } from "../../api";
import { t, type MessageKey } from "../../i18n";
import { session } from "../../session";

interface Section {
  href: string;
  label: MessageKey;
  testId: string;
  shown: (role: Role) => boolean;
}

const SECTIONS: readonly Section[] = [
  { href: "/vaccination/sites", label: "vacc.nav.sites", testId: "vacc-nav-sites", shown: () => true },
  { href: "/vaccination/record", label: "vacc.nav.record", testId: "vacc-nav-record", shown: canVaccinate },
  { href: "/vaccination/doses", label: "vacc.nav.doses", testId: "vacc-nav-doses", shown: () => true },
  { href: "/vaccination/reactions", label: "vacc.nav.reactions", testId: "vacc-nav-reactions", shown: () => true },
  { href: "/vaccination/lots", label: "vacc.nav.lots", testId: "vacc-nav-lots", shown: () => true },
  { href: "/vaccination/imports", label: "vacc.nav.imports", testId: "vacc-nav-imports", shown: () => true },
  { href: "/vaccination/coverage", label: "vacc.nav.coverage", testId: "vacc-nav-coverage", shown: (r) => COVERAGE_ROLES.includes(r) },
];

export default function VaccinationNav() {
  const role = () => session.user()?.role;
  const sections = () => SECTIONS.filter((s) => role() && s.shown(role()!));
  return (
    <nav class="vacc-nav" aria-label={t("vacc.nav.label")} data-testid="vacc-nav">
      <For each={sections()}>
        {(s) => (
          <A href={s.href} class="vacc-nav-link" activeClass="active" data-testid={s.testId}>
            {t(s.label)}
          </A>
        )}
      </For>
    </nav>
  );
}
