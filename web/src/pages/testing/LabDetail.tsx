/**
 * One lab: its address and, for province officers and national admins, its staff — assign a
 * lab-staff account of the province or remove one. Links to the pools sent to it.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal } from "solid-js";
import { canManageLabs, canRecordLabResults } from "../../access";
import { listUsers } from "../../api";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage from "../../components/RecordPage";
import { t } from "../../i18n";
import { session } from "../../session";
import TestingNav from "./TestingNav";
import { assignLabStaff, getLab, unassignLabStaff, type LabDetail, type LabStaffMember } from "./testing.api";
import { testingError } from "./testing.data";
import "./testing.css";

export default function LabDetailPage() {
  return (
    <RecordPage<LabDetail>
      name="test-lab"
      load={getLab}
      backHref="/testing/labs"
      backLabel={t("test.labs.title")}
      notFoundTitle={t("test.lab.notFound")}
      notFoundBody={t("test.lab.notFoundBody")}
    >
      {(l, set) => <LabBody lab={l()} onChange={set} />}
    </RecordPage>
  );
}

function LabBody(props: { lab: LabDetail; onChange: (l: LabDetail) => void }) {
  const me = () => session.user()!;
  const l = () => props.lab;
  const canAssign = () => canManageLabs(me().role);
  const flash = createFlash();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal<string | null>(null);
  const [picked, setPicked] = createSignal("");
  createEffect(() => ensureAreaNames(l().provinceCode, l().communeCode));
  const [accounts, { refetch }] = createResource(
    () => canAssign() && { provinceCode: l().provinceCode },
    (area) => listUsers({ role: "lab_staff", ...area, limit: 200 }).then((r) => r.items.filter((u) => !u.disabled)),
  );
  const assignable = createMemo(() => (accounts() ?? []).filter((u) => !l().staff.some((s) => s.userId === u.id)));

  const assign = async (e: SubmitEvent) => {
    e.preventDefault();
    const user = assignable().find((u) => u.id === picked());
    if (!user) return;
    setBusy(user.id);
    setFailure(null);
    try {
      await assignLabStaff(l().id, user.id);
      props.onChange({ ...l(), staff: [...l().staff, { userId: user.id, username: user.username, displayName: user.displayName }] });
      setPicked("");
      flash.show(t("test.staff.assigned", { name: user.displayName }));
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  const remove = async (m: LabStaffMember) => {
    if (!window.confirm(t("test.staff.removeConfirm", { name: m.displayName }))) return;
    setBusy(m.userId);
    setFailure(null);
    try {
      await unassignLabStaff(l().id, m.userId);
      props.onChange({ ...l(), staff: l().staff.filter((s) => s.userId !== m.userId) });
      flash.show(t("test.staff.removed", { name: m.displayName }));
    } catch (error) {
      setFailure(testingError(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-lab-title">{l().name}</h1>
          <p class="muted">
            {l().address} · {areaLabel(l().provinceCode, l().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <A href={`/testing/pools?lab=${encodeURIComponent(l().id)}`} class="btn btn-small">
            {t("test.labs.pools")}
          </A>
          <Show when={canRecordLabResults(me().role)}>
            <A href="/testing/lab" class="btn btn-small btn-primary">
              {t("test.nav.lab")}
            </A>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <section class="card" aria-labelledby="test-lab-staff-title" data-testid="test-lab-staff">
        <h2 id="test-lab-staff-title">{t("test.lab.staff")}</h2>
        <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="test-lab-staff-error" />
        <Show when={l().staff.length > 0} fallback={<p class="muted" data-testid="test-lab-staff-empty">{t("test.staff.empty")}</p>}>
          <ul class="test-rows">
            <For each={l().staff}>
              {(m) => (
                <li class="test-row" data-testid="test-lab-staff-member" data-user-id={m.userId}>
                  <div>
                    <strong>{m.displayName}</strong>
                    <span class="sub muted">
                      <code>{m.username}</code>
                    </span>
                  </div>
                  <Show when={canAssign()}>
                    <button type="button" class="btn btn-small btn-danger-ghost" disabled={busy() === m.userId} onClick={() => void remove(m)} data-testid="test-lab-staff-remove">
                      {t("test.staff.remove")}
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={canAssign()}>
          <form class="form" onSubmit={assign} data-testid="test-lab-staff-form">
            <Show when={accounts.error}>
              <ErrorBanner error={accounts.error} onRetry={() => void refetch()} />
            </Show>
            <Field id="test-lab-staff-user" label={t("test.lab.pickStaff")} hint={t("test.lab.pickStaffHint")}>
              <div class="input-row">
                <select id="test-lab-staff-user" value={picked()} onChange={(e) => setPicked(e.currentTarget.value)} aria-describedby="test-lab-staff-user-hint" data-testid="test-lab-staff-user">
                  <option value="">{accounts.loading ? t("common.loading") : assignable().length ? t("test.staff.choose") : t("test.staff.none")}</option>
                  <For each={assignable()}>
                    {(u) => (
                      <option value={u.id}>
                        {u.displayName} ({u.username})
                      </option>
                    )}
                  </For>
                </select>
                <button type="submit" class="btn btn-primary" disabled={!picked() || busy() !== null} data-testid="test-lab-staff-assign">
                  {t("test.staff.assign")}
                </button>
              </div>
            </Field>
          </form>
        </Show>
      </section>
    </>
  );
}
