/**
 * A site's day: check a person in by scanning their appointment QR (PHC-APT:<code>) or typing
 * the code, then record the dose with the form already filled in; and the day's appointments,
 * priority groups first, with their status.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, Match, Show, Switch, createMemo, createSignal } from "solid-js";
import { ApiError } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t, type MessageKey } from "../../i18n";
import { createDebounced, createKeysetList } from "../../pagination";
import VenueScanner from "../VenueScanner";
import { formatDay, formatTime, todayInVietnam } from "../venues.data";
import {
  APPOINTMENT_STATUSES,
  PRIORITY_GROUPS,
  cancelAppointment,
  checkInAppointment,
  listAppointments,
  type Appointment,
  type AppointmentDetail,
  type AppointmentStatus,
  type PriorityGroup,
  type SiteDetail,
} from "./vaccination.api";
import { PAGE_SIZE, appointmentStatusLabel, doseLabel, localised, priorityLabel, sameFilters } from "./vaccination.data";

/** Where the dose form opens after a check-in: the person, the appointment, the dose, the site. */
export function recordHref(a: { id: string; personId: string; doseNumber: number; siteId: string | null }, siteId: string): string {
  const q = new URLSearchParams({ siteId: a.siteId ?? siteId, personId: a.personId, appointmentId: a.id, doseNumber: String(a.doseNumber) });
  return `/vaccination/record?${q.toString()}`;
}

const CHECKIN_ERRORS: Partial<Record<string, MessageKey>> = {
  wrong_day: "vacc.checkin.wrongDay",
  appointment_cancelled: "vacc.checkin.cancelled",
  not_found: "vacc.checkin.notFound",
  validation_failed: "vacc.checkin.badCode",
};

/** The check-in refusal in the portal's words (another day, cancelled, not at this site). */
function checkinError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const key = CHECKIN_ERRORS[error.code];
  if (!key) return localised(error);
  // The server's words carry the details (which day); keep them after the portal's sentence.
  const detail = error.code === "wrong_day" ? ` (${(localised(error) as ApiError).message})` : "";
  return new ApiError(error.status, error.code, `${t(key)}${detail}`, error.requestId, []);
}

export default function SiteDay(props: { site: SiteDetail; canCheckIn: boolean }) {
  const navigate = useNavigate();
  const today = todayInVietnam();
  const [day, setDay] = createSignal(today);
  const [status, setStatus] = createSignal<AppointmentStatus | "">("");
  const [group, setGroup] = createSignal<PriorityGroup | "">("");
  const [q, setQ] = createSignal("");
  const query = createDebounced(q, 300);
  const filters = createMemo(
    () => ({ siteId: props.site.id, day: day(), status: status(), priorityGroup: group(), q: query().trim() }),
    undefined,
    { equals: sameFilters },
  );
  const list = createKeysetList(filters, (f, cursor, signal) => listAppointments({ ...f, limit: PAGE_SIZE, cursor }, signal));
  const active = () => !!(status() || group() || q() || day() !== today);
  const clear = () => {
    setStatus("");
    setGroup("");
    setQ("");
    setDay(today);
  };

  const [cancelling, setCancelling] = createSignal<string | null>(null);
  const [rowError, setRowError] = createSignal<unknown>(null);
  const cancel = async (a: Appointment) => {
    if (!window.confirm(t("vacc.appointment.cancelConfirm", { name: a.personName }))) return;
    setCancelling(a.id);
    setRowError(null);
    try {
      const saved = await cancelAppointment(a.id);
      list.update((items) => items.map((x) => (x.id === saved.id ? { ...x, ...saved } : x)));
    } catch (error) {
      setRowError(localised(error));
    } finally {
      setCancelling(null);
    }
  };

  return (
    <div class="vacc-day" data-testid="vacc-site-day">
      <Show when={props.canCheckIn}>
        <CheckIn onCheckedIn={(a) => navigate(recordHref(a, props.site.id))} />
      </Show>

      <section class="card" aria-labelledby="vacc-appointments-title">
        <div class="section-head">
          <h2 id="vacc-appointments-title">{t("vacc.appointments.title", { day: formatDay(day()) })}</h2>
          <p class="muted small">{t("vacc.appointments.lead")}</p>
        </div>
        <FilterBar testId="vacc-appointments" active={active()} onClear={clear}>
          <FilterField id="vacc-appointments-day" label={t("vacc.appointments.day")}>
            <input id="vacc-appointments-day" type="date" value={day()} onChange={(e) => setDay(e.currentTarget.value || today)} data-testid="vacc-appointments-day" />
          </FilterField>
          <FilterField id="vacc-appointments-q" label={t("common.search")} grow>
            <input
              id="vacc-appointments-q"
              type="search"
              class="search-input"
              placeholder={t("vacc.appointments.search")}
              value={q()}
              onInput={(e) => setQ(e.currentTarget.value)}
              data-testid="vacc-appointments-search"
            />
          </FilterField>
          <FilterField id="vacc-appointments-group" label={t("vacc.priority.label")}>
            <select id="vacc-appointments-group" value={group()} onChange={(e) => setGroup(e.currentTarget.value as PriorityGroup | "")} data-testid="vacc-appointments-group">
              <option value="">{t("common.all")}</option>
              <For each={PRIORITY_GROUPS}>{(g) => <option value={g}>{priorityLabel(g)}</option>}</For>
            </select>
          </FilterField>
          <FilterField id="vacc-appointments-status" label={t("vacc.appointments.status")}>
            <select id="vacc-appointments-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as AppointmentStatus | "")} data-testid="vacc-appointments-status">
              <option value="">{t("common.all")}</option>
              <For each={APPOINTMENT_STATUSES}>{(s) => <option value={s}>{appointmentStatusLabel(s)}</option>}</For>
            </select>
          </FilterField>
        </FilterBar>
        <ErrorBanner error={rowError()} onDismiss={() => setRowError(null)} testId="vacc-appointments-error" />
        <ListTable
          list={list}
          testId="vacc-appointments"
          columns={[
            { label: t("vacc.appointments.time") },
            { label: t("vacc.col.person") },
            { label: t("vacc.col.dose") },
            { label: t("vacc.priority.label") },
            { label: t("vacc.appointments.status") },
            { label: "" },
          ]}
          emptyText={t("vacc.appointments.empty")}
          filtersActive={active()}
          onClearFilters={clear}
        >
          {(a) => (
            <tr data-testid="vacc-appointment-row" data-appointment-id={a.id} data-status={a.status} data-priority={a.priorityGroup}>
              <td data-label={t("vacc.appointments.time")} class="nowrap">
                <Show when={a.slot} fallback={<span class="muted">{t("vacc.appointments.noSlot")}</span>}>
                  {(slot) => (
                    <>
                      {formatTime(slot().startsAt)}–{formatTime(slot().endsAt)}
                    </>
                  )}
                </Show>
              </td>
              <td data-label={t("vacc.col.person")} class="cell-title">
                <A href={`/vaccination/people/${encodeURIComponent(a.personId)}`} class="venue-link" data-testid="vacc-appointment-person">
                  {a.personName}
                </A>
              </td>
              <td data-label={t("vacc.col.dose")}>{doseLabel(a.doseNumber)}</td>
              <td data-label={t("vacc.priority.label")}>
                <span class={`vacc-badge vacc-priority-${a.priorityGroup}`} data-testid="vacc-appointment-priority">
                  {priorityLabel(a.priorityGroup)}
                </span>
              </td>
              <td data-label={t("vacc.appointments.status")}>
                <span class={`vacc-badge vacc-appt-${a.status}`} data-testid="vacc-appointment-status">
                  {appointmentStatusLabel(a.status)}
                </span>
              </td>
              <td class="row-actions">
                <Show when={props.canCheckIn && a.status === "checked_in"}>
                  <A href={recordHref(a, props.site.id)} class="btn btn-small btn-primary" data-testid="vacc-appointment-record">
                    {t("vacc.appointments.record")}
                  </A>
                </Show>
                <Show when={props.canCheckIn && (a.status === "registered" || a.status === "booked")}>
                  <button type="button" class="btn btn-small btn-danger-ghost" disabled={cancelling() === a.id} onClick={() => void cancel(a)} data-testid="vacc-appointment-cancel">
                    {t("vacc.appointments.cancel")}
                  </button>
                </Show>
              </td>
            </tr>
          )}
        </ListTable>
      </section>
    </div>
  );
}

/** Scan the appointment QR or type its code; answers the appointment once the person is checked in. */
function CheckIn(props: { onCheckedIn: (a: AppointmentDetail) => void }) {
  const [mode, setMode] = createSignal<"type" | "scan">("type");
  const [code, setCode] = createSignal("");
  const [codeError, setCodeError] = createSignal<string | undefined>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [sending, setSending] = createSignal(false);

  const send = async (text: string) => {
    setSending(true);
    setFailure(null);
    try {
      props.onCheckedIn(await checkInAppointment(text.trim()));
    } catch (error) {
      setFailure(checkinError(error));
    } finally {
      setSending(false);
    }
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!code().trim()) {
      setCodeError(t("common.required"));
      document.getElementById("vacc-checkin-code")?.focus();
      return;
    }
    await send(code());
  };

  return (
    <section class="card vacc-checkin" aria-labelledby="vacc-checkin-title" data-testid="vacc-checkin">
      <h2 id="vacc-checkin-title">{t("vacc.checkin.title")}</h2>
      <div class="tabs" role="tablist" aria-label={t("vacc.checkin.title")}>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "type"} onClick={() => setMode("type")} data-testid="vacc-checkin-tab-type">
          {t("vacc.checkin.type")}
        </button>
        <button type="button" role="tab" class="tab" aria-selected={mode() === "scan"} onClick={() => setMode("scan")} data-testid="vacc-checkin-tab-scan">
          {t("vacc.checkin.scan")}
        </button>
      </div>
      <ErrorBanner error={failure()} onDismiss={() => setFailure(null)} testId="vacc-checkin-error" />
      <Switch>
        <Match when={mode() === "type"}>
          <form class="form" onSubmit={submit} noValidate>
            <Field id="vacc-checkin-code" label={t("vacc.checkin.code")} error={codeError()} hint={t("vacc.checkin.codeHint")}>
              <div class="input-row">
                <input
                  id="vacc-checkin-code"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  value={code()}
                  onInput={(e) => {
                    setCode(e.currentTarget.value);
                    setCodeError(undefined);
                  }}
                  aria-invalid={codeError() ? "true" : undefined}
                  aria-describedby={describedBy("vacc-checkin-code", codeError(), true)}
                  data-testid="vacc-checkin-code"
                />
                <button type="submit" class="btn btn-primary" disabled={sending()} data-testid="vacc-checkin-submit">
                  {sending() ? t("vacc.checkin.sending") : t("vacc.checkin.submit")}
                </button>
              </div>
            </Field>
          </form>
        </Match>
        <Match when={mode() === "scan"}>
          <VenueScanner onCode={send} />
        </Match>
      </Switch>
    </section>
  );
}
