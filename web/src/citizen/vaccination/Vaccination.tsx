/**
 * Vaccination overview: for the citizen and each family member, the doses given, the next dose and
 * its earliest day, the reactions reported; then the appointments, with their QR, a time to choose
 * or a cancel button. Links lead to registration, the certificate and the reaction form.
 */
import { For, Show, createSignal } from "solid-js";
import { t, tx } from "../i18n";
import { loadMe } from "../me";
import { navigate } from "../router";
import { A, dateVN, timeVN, todayVN } from "../ui";
import { cancelAppointment, myAppointments, myVaccination, type Appointment, type PersonVaccination } from "./api";
import { VaxAlert } from "./words";

/** "08:00–09:00, 12/05/2026" of a slot. */
export const slotWhen = (slot: { startsAt: string; endsAt: string }) => t("vaxWhen", { from: timeVN(slot.startsAt), to: timeVN(slot.endsAt), day: dateVN(slot.startsAt) });

const ACTIVE = new Set(["registered", "booked", "checked_in"]);

export function Vaccination() {
  const [people, setPeople] = createSignal<PersonVaccination[]>();
  const [appointments, setAppointments] = createSignal<Appointment[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [error, setError] = createSignal<unknown>();
  const [notice, setNotice] = createSignal("");
  const [busy, setBusy] = createSignal("");
  void loadMe();

  async function load() {
    setError(undefined);
    try {
      const [v, a] = await Promise.all([myVaccination(), myAppointments()]);
      setPeople(v.people);
      setAppointments(a.items);
      setNext(a.nextCursor ?? null);
    } catch (e) {
      setError(e);
      setPeople((p) => p ?? []);
    }
  }
  void load();

  async function more() {
    try {
      const a = await myAppointments(next());
      setAppointments([...appointments(), ...a.items]);
      setNext(a.nextCursor ?? null);
    } catch (e) {
      setError(e);
    }
  }

  async function cancel(a: Appointment) {
    if (!confirm(t("vaxCancelConfirm", { n: a.doseNumber, name: a.personName }))) return;
    setBusy(a.id);
    setError(undefined);
    setNotice("");
    try {
      const updated = await cancelAppointment(a.id);
      setAppointments(appointments().map((x) => (x.id === a.id ? { ...x, ...updated } : x)));
      setNotice(t("vaxCancelled"));
    } catch (e) {
      setError(e);
    } finally {
      setBusy("");
    }
  }

  return (
    <div class="page" data-testid="vaccination">
      <h1>{t("vaxTitle")}</h1>
      <p class="lead">{t("vaxLead")}</p>
      <A href="/vaccination/register" class="btn" testId="vax-register">
        {t("vaxRegister")}
      </A>
      <VaxAlert error={error()} />
      <Show when={notice()}>
        <p class="ok" role="status" data-testid="vax-notice">
          {notice()}
        </p>
      </Show>
      <Show when={people()} fallback={<p class="spin">{t("loading")}</p>}>
        <ul class="cards">
          <For each={people()}>{(p) => <PersonCard data={p} />}</For>
        </ul>
        <h2>{t("vaxAppointments")}</h2>
        <ul class="cards" data-testid="vax-appointments">
          <For each={appointments()} fallback={<p class="muted">{t("vaxAppointmentsNone")}</p>}>
            {(a) => (
              <li class="card" data-testid="vax-appointment" data-id={a.id} data-status={a.status}>
                <p class="title">
                  {a.personName} · {t("vaxDose", { n: a.doseNumber })}
                </p>
                <p>
                  <span class={`pill ${a.status === "booked" || a.status === "vaccinated" ? "green" : a.status === "cancelled" || a.status === "no_show" ? "" : "yellow"}`} data-testid="vax-appointment-status">
                    {tx("apt", a.status)}
                  </span>
                </p>
                <Show when={a.siteName}>
                  <p>{a.siteName}</p>
                </Show>
                <Show when={a.slot}>{(s) => <p data-testid="vax-appointment-when">{slotWhen(s())}</p>}</Show>
                <p class="muted">{tx("priority", a.priorityGroup)}</p>
                <Show when={a.status === "booked" || a.status === "checked_in"}>
                  <A href={`/vaccination/appointment?id=${a.id}`} class="btn" testId="vax-appointment-qr">
                    {t("vaxShowQr")}
                  </A>
                </Show>
                <Show when={a.status === "registered"}>
                  <A href={`/vaccination/book?appointment=${a.id}`} class="btn" testId="vax-appointment-book">
                    {t("vaxChooseTime")}
                  </A>
                </Show>
                <Show when={a.status === "registered" || a.status === "booked"}>
                  <button type="button" class="btn danger" disabled={busy() === a.id} onClick={() => void cancel(a)} data-testid="vax-appointment-cancel">
                    {t("vaxCancel")}
                  </button>
                </Show>
              </li>
            )}
          </For>
        </ul>
        <Show when={next()}>
          <button type="button" class="btn ghost" onClick={() => void more()} data-testid="vax-appointments-more">
            {t("loadMore")}
          </button>
        </Show>
      </Show>
    </div>
  );

  function PersonCard(props: { data: PersonVaccination }) {
    const p = () => props.data;
    const reactionsOf = (doseId: string) => p().adverseEvents.filter((e) => e.vaccinationId === doseId);
    const hasActive = () => appointments().some((a) => a.personId === p().person.id && ACTIVE.has(a.status));
    return (
      <li class="card" data-testid="vax-person" data-person-id={p().person.id}>
        <p class="title">{p().person.fullName}</p>
        <Show when={p().doses.length > 0} fallback={<p class="muted">{t("vaxNoDoses")}</p>}>
          <ol class="doses" data-testid="vax-doses">
            <For each={p().doses}>
              {(d) => (
                <li data-testid="vax-dose" data-dose={d.doseNumber}>
                  <strong>{t("vaxDose", { n: d.doseNumber })}</strong>: {d.productName} · {dateVN(d.givenOn)}
                  <br />
                  <span class="muted">
                    {d.siteName} · {t("vaxLot", { lot: d.lotNumber })}
                  </span>
                  <For each={reactionsOf(d.id)}>
                    {(r) => (
                      <span class="muted reaction" data-testid="vax-reaction">
                        <br />
                        {t("vaxReactions")}: {tx("severity", r.severity)} · {r.symptoms.map((s) => tx("aefi", s)).join(", ")} · {tx("aefiStatus", r.status)}
                      </span>
                    )}
                  </For>
                  <br />
                  <A href={`/vaccination/reaction?dose=${d.id}`} class="link" testId="vax-report-reaction">
                    {t("vaxReportReaction")}
                  </A>
                </li>
              )}
            </For>
          </ol>
        </Show>
        <Show when={p().nextDose} fallback={<Show when={p().doses.length > 0}><p class="ok" data-testid="vax-complete">{t("vaxComplete")}</p></Show>}>
          {(n) => (
            <div data-testid="vax-next" data-dose={n().doseNumber} data-earliest={n().earliestOn ?? ""}>
              <p>
                <strong>{!n().earliestOn || n().earliestOn! <= todayVN() ? t("vaxNextNow", { n: n().doseNumber }) : t("vaxNext", { n: n().doseNumber, d: dateVN(n().earliestOn!) })}</strong>
              </p>
              <Show when={n().allowedProducts.length > 0}>
                <p class="muted">{t("vaxNextProducts", { list: n().allowedProducts.join(", ") })}</p>
              </Show>
            </div>
          )}
        </Show>
        <div class="actions">
          <Show when={p().doses.length > 0}>
            <A href={`/vaccination/certificate?personId=${p().person.id}`} class="btn" testId="vax-certificate">
              {t("vaxCertificate")}
            </A>
          </Show>
          <Show when={p().nextDose && !hasActive()}>
            <button type="button" class="btn ghost" onClick={() => navigate(`/vaccination/register?personId=${p().person.id}`)} data-testid="vax-person-register">
              {t("vaxRegister")}
            </button>
          </Show>
        </div>
      </li>
    );
  }
}
