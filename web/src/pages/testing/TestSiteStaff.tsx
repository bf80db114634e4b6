/**
 * Who works at a testing site, with their team ("Tổ 1"): the assigned site-staff accounts and,
 * for the officers who manage testing, assigning another site-staff account of the area (with a
 * team) or removing one. The pattern of the vaccination site's staff card.
 */
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { listUsers } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import { t } from "../../i18n";
import { assignTestSiteStaff, unassignTestSiteStaff, type TestSiteDetail, type TestSiteStaffMember } from "./testing.api";
import { testingError } from "./testing.data";

export default function TestSiteStaff(props: { site: TestSiteDetail; canAssign: boolean; onChange: (staff: TestSiteStaffMember[]) => void }) {
  const flash = createFlash();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [picked, setPicked] = createSignal("");
  const [team, setTeam] = createSignal("");
  // Site-staff accounts of the site's commune (as for vaccination sites), not disabled.
  const [accounts, { refetch }] = createResource(
    () => props.canAssign && { provinceCode: props.site.provinceCode, communeCode: props.site.communeCode },
    (area) => listUsers({ role: "site_staff", ...area, limit: 200 }).then((r) => r.items.filter((u) => !u.disabled)),
  );
  const assignable = createMemo(() => (accounts() ?? []).filter((u) => !props.site.staff.some((s) => s.userId === u.id)));

  const assign = async (e: SubmitEvent) => {
    e.preventDefault();
    const user = assignable().find((u) => u.id === picked());
    if (!user) return;
    setBusy(user.id);
    setFailure(null);
    try {
      const name = team().trim() || null;
      await assignTestSiteStaff(props.site.id, user.id, name);
      props.onChange([...props.site.staff, { userId: user.id, username: user.username, displayName: user.displayName, team: name }]);
      setPicked("");
      setTeam("");
      flash.show(t("test.staff.assigned", { name: user.displayName }));
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (member: TestSiteStaffMember) => {
    if (!window.confirm(t("test.staff.removeConfirm", { name: member.displayName }))) return;
    setBusy(member.userId);
    setFailure(null);
    try {
      await unassignTestSiteStaff(props.site.id, member.userId);
      props.onChange(props.site.staff.filter((s) => s.userId !== member.userId));
      flash.show(t("test.staff.removed", { name: member.displayName }));
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="test-staff-title" data-testid="test-site-staff">
      <h2 id="test-staff-title">{t("test.staff.title")}</h2>
      <Flash message={flash.message()} />
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="test-staff-error" />
      <Show when={props.site.staff.length > 0} fallback={<p class="muted" data-testid="test-staff-empty">{t("test.staff.empty")}</p>}>
        <ul class="test-rows">
          <For each={props.site.staff}>
            {(m) => (
              <li class="test-row" data-testid="test-staff-member" data-user-id={m.userId}>
                <div>
                  <strong>{m.displayName}</strong>
                  <span class="sub muted">
                    <code>{m.username}</code>
                    <Show when={m.team}> · {t("test.staff.teamOf", { team: m.team! })}</Show>
                  </span>
                </div>
                <Show when={props.canAssign}>
                  <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy() === m.userId} onClick={() => void remove(m)} data-testid="test-staff-remove">
                    {t("test.staff.remove")}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.canAssign}>
        <form class="form form-grid test-staff-assign" onSubmit={assign} data-testid="test-staff-form">
          <Show when={accounts.error}>
            <ErrorBanner error={accounts.error} onRetry={() => void refetch()} />
          </Show>
          <Field id="test-staff-user" label={t("test.staff.pick")} hint={t("test.staff.pickHint")}>
            <select id="test-staff-user" value={picked()} onChange={(e) => setPicked(e.currentTarget.value)} aria-describedby="test-staff-user-hint" data-testid="test-staff-user">
              <option value="">{accounts.loading ? t("common.loading") : assignable().length ? t("test.staff.choose") : t("test.staff.none")}</option>
              <For each={assignable()}>
                {(u) => (
                  <option value={u.id}>
                    {u.displayName} ({u.username})
                  </option>
                )}
              </For>
            </select>
          </Field>
          <Field id="test-staff-team" label={t("test.staff.team")}>
            <div class="input-row">
              <input id="test-staff-team" maxLength={60} autocomplete="off" placeholder={t("test.staff.teamPlaceholder")} value={team()} onInput={(e) => setTeam(e.currentTarget.value)} data-testid="test-staff-team" />
              <button type="submit" class="btn btn-primary" disabled={!picked() || busy() !== null} data-testid="test-staff-assign">
                {t("test.staff.assign")}
              </button>
            </div>
          </Field>
        </form>
      </Show>
    </section>
  );
}
