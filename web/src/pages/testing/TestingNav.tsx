/**
 * The testing section's own menu (desk, retests, lab, pools, samples, campaigns, labs,
 * statistics), as the role may use them. A row of tabs that scrolls sideways on a phone.
 */
import { A } from "@solidjs/router";
import { For } from "solid-js";
import { LABS_PAGE_ROLES, TEST_OFFICER_ROLES, canRecordLabResults, canTakeSamples } from "../../access";
import type { Role } from "../../api";
import { t, type MessageKey } from "../../i18n";
import { session } from "../../session";

interface Section {
  href: string;
  label: MessageKey;
  testId: string;
  shown: (role: Role) => boolean;
}

const officer = (r: Role) => TEST_OFFICER_ROLES.includes(r);
const SECTIONS: readonly Section[] = [
  { href: "/testing/desk", label: "test.nav.desk", testId: "test-nav-desk", shown: canTakeSamples },
  { href: "/testing/retests", label: "test.nav.retests", testId: "test-nav-retests", shown: canTakeSamples },
  { href: "/testing/lab", label: "test.nav.lab", testId: "test-nav-lab", shown: canRecordLabResults },
  { href: "/testing/pools", label: "test.nav.pools", testId: "test-nav-pools", shown: () => true },
  { href: "/testing/samples", label: "test.nav.samples", testId: "test-nav-samples", shown: () => true },
  { href: "/testing/campaigns", label: "test.nav.campaigns", testId: "test-nav-campaigns", shown: officer },
  { href: "/testing/labs", label: "test.nav.labs", testId: "test-nav-labs", shown: (r) => LABS_PAGE_ROLES.includes(r) },
  { href: "/testing/stats", label: "test.nav.stats", testId: "test-nav-stats", shown: officer },
];

export default function TestingNav() {
  const role = () => session.user()?.role;
  const sections = () => SECTIONS.filter((s) => role() && s.shown(role()!));
  return (
    <nav class="test-nav" aria-label={t("test.nav.label")} data-testid="test-nav">
      <For each={sections()}>
        {(s) => (
          <A href={s.href} class="test-nav-link" activeClass="active" data-testid={s.testId}>
            {t(s.label)}
          </A>
        )}
      </For>
    </nav>
  );
}
