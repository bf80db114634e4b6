/**
 * Who works at a site: the assigned site-staff accounts, and (for the officers who manage
 * sites) assigning another site-staff account of the area or removing one.
 */
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { listUsers } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import { t } from "../../i18n";
import { assignStaff, unassignStaff, type SiteDetail, type SiteStaffMember } from "./vaccination.api";
import { localised } from "./vaccination.data";

export default function SiteStaff(props: { site: SiteDetail; canAssign: boolean; onChange: (staff: SiteStaffMember[]) => void }) {
  const flash = createFlash();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [picked, setPicked] = createSignal("");
  // The accounts that may work here: site staff of the site's commune (the server's rule), not disabled.
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
      await assignStaff(props.site.id, user.id);
      props.onChange([...props.site.staff, { userId: user.id, username: user.username, displayName: user.displayName }]);
      setPicked("");
      flash.show(t("vacc.staff.assigned", { name: user.displayName }));
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (member: SiteStaffMember) => {
    if (!window.confirm(t("vacc.staff.removeConfirm", { name: member.displayName }))) return;
    setBusy(member.userId);
    setFailure(null);
    try {
      await unassignStaff(props.site.id, member.userId);
      props.onChange(props.site.staff.filter((s) => s.userId !== member.userId));
      flash.show(t("vacc.staff.removed", { name: member.displayName }));
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="vacc-staff-title" data-testid="vacc-site-staff">
      <h2 id="vacc-staff-title">{t("vacc.staff.title")}</h2>
      <Flash message={flash.message()} />
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="vacc-staff-error" />
      <Show when={props.site.staff.length > 0} fallback={<p class="muted" data-testid="vacc-staff-empty">{t("vacc.staff.empty")}</p>}>
        <ul class="vacc-staff-list">
          <For each={props.site.staff}>
            {(m) => (
              <li class="vacc-staff" data-testid="vacc-staff-member" data-user-id={m.userId}>
                <div>
                  <strong>{m.displayName}</strong>
                  <span class="sub muted">
                    <code>{m.username}</code>
                  </span>
                </div>
                <Show when={props.canAssign}>
                  <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy() === m.userId} onClick={() => void remove(m)} data-testid="vacc-staff-remove">
                    {t("vacc.staff.remove")}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.canAssign}>
        <form class="form vacc-staff-assign" onSubmit={assign} data-testid="vacc-staff-form">
          <Show when={accounts.error}>
            <ErrorBanner error={accounts.error} onRetry={() => void refetch()} />
          </Show>
          <Field id="vacc-staff-user" label={t("vacc.staff.pick")} hint={t("vacc.staff.pickHint")}>
            <div class="input-row">
              <select id="vacc-staff-user" value={picked()} onChange={(e) => setPicked(e.currentTarget.value)} aria-describedby="vacc-staff-user-hint" data-testid="vacc-staff-user">
                <option value="">{accounts.loading ? t("common.loading") : assignable().length ? t("vacc.staff.choose") : t("vacc.staff.none")}</option>
                <For each={assignable()}>
                  {(u) => (
                    <option value={u.id}>
                      {u.displayName} ({u.username})
                    </option>
                  )}
                </For>
              </select>
              <button type="submit" class="btn btn-primary" disabled={!picked() || busy() !== null} data-testid="vacc-staff-assign">
                {t("vacc.staff.assign")}
              </button>
            </div>
          </Field>
        </form>
      </Show>
    </section>
  );
}
