/**
 * Registration and booking. /vaccination/register: for whom, the priority group, then (optionally)
 * a site and a time; /vaccination/book?appointment=<id>: a site and a time for a registration made
 * before. Sites are the open ones of the chosen province/commune; each time shows its free places.
 */
import { For, Show, createEffect, createMemo, createSignal, on } from "solid-js";
import { t, tx } from "../i18n";
import { family, loadMe, profile } from "../me";
import { navigate, query } from "../router";
import { ApiError } from "../session";
import { A, Field, UnitPicker, dateVN, timeVN, todayVN } from "../ui";
import { PRIORITY_GROUPS, book, myAppointments, myVaccination, openSites, register, siteSlots, type Appointment, type OpenSite, type PersonVaccination, type PriorityGroup, type Slot } from "./api";
import { VaxAlert } from "./words";

/** The Vietnamese calendar day of an instant. */
const vnDayOf = (iso: string) => new Date(Date.parse(iso) + 7 * 3600_000).toISOString().slice(0, 10);

type SlotState = "ok" | "full" | "over" | "early" | "product";
const SLOT_WORD: Record<Exclude<SlotState, "ok">, "vaxSlotFull" | "vaxSlotPast" | "vaxSlotTooEarly" | "vaxSlotOtherProduct"> = {
  full: "vaxSlotFull",
  over: "vaxSlotPast",
  early: "vaxSlotTooEarly",
  product: "vaxSlotOtherProduct",
};

export function Book(props: { mode: "register" | "book" }) {
  const appointmentId = query().get("appointment") ?? "";
  const [personId, setPersonId] = createSignal(query().get("personId") ?? "");
  const [priority, setPriority] = createSignal<PriorityGroup>("general");
  const [province, setProvince] = createSignal("");
  const [commune, setCommune] = createSignal("");
  const [sites, setSites] = createSignal<OpenSite[]>();
  const [siteId, setSiteId] = createSignal("");
  const [slots, setSlots] = createSignal<Slot[]>();
  const [slotId, setSlotId] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const [listError, setListError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [registered, setRegistered] = createSignal(false);
  const [records, setRecords] = createSignal<PersonVaccination[]>([]);
  const [appointment, setAppointment] = createSignal<Appointment>();
  void loadMe();
  myVaccination().then((v) => setRecords(v.people), () => undefined);
  if (props.mode === "book")
    myAppointments().then(
      (page) => setAppointment(page.items.find((a) => a.id === appointmentId)),
      () => undefined,
    );

  /** The next dose of the person this is for: slots before its day, or of a product that may not follow, are greyed. */
  const next = createMemo(() => {
    const who = props.mode === "book" ? appointment()?.personId : personId() || profile()?.personId;
    const n = records().find((p) => p.person.id === who)?.nextDose ?? null;
    if (n && props.mode === "book" && appointment() && appointment()!.doseNumber !== n.doseNumber) return null;
    return n;
  });
  const slotState = (s: Slot): SlotState => {
    if (Date.parse(s.endsAt) <= Date.now()) return "over";
    if (s.free <= 0) return "full";
    const n = next();
    if (n?.earliestOn && vnDayOf(s.startsAt) < n.earliestOn) return "early";
    if (n && s.productCode && n.allowedProducts.length > 0 && !n.allowedProducts.includes(s.productCode)) return "product";
    return "ok";
  };

  // Start where the citizen lives (once the profile is known).
  createEffect(
    on(profile, (p) => {
      if (p && !province() && p.provinceCode) {
        setProvince(p.provinceCode);
        setCommune(p.communeCode ?? "");
      }
    }),
  );

  let sitesAsked = 0;
  createEffect(
    on([province, commune], ([p, c]) => {
      const mine = ++sitesAsked;
      setSites(undefined);
      setSiteId("");
      setListError(undefined);
      if (!p) return;
      openSites({ provinceCode: p, communeCode: c || undefined }).then(
        (page) => {
          if (mine !== sitesAsked) return;
          setSites(page.items);
          if (page.items.length === 1) setSiteId(page.items[0]!.id);
        },
        (e: unknown) => mine === sitesAsked && (setListError(e), setSites([])),
      );
    }),
  );

  let slotsAsked = 0;
  function loadSlots(id: string) {
    const mine = ++slotsAsked;
    setSlots(undefined);
    setSlotId("");
    if (!id) return;
    siteSlots(id).then(
      (page) => mine === slotsAsked && setSlots(page.items),
      (e: unknown) => mine === slotsAsked && (setListError(e), setSlots([])),
    );
  }
  createEffect(on(siteId, loadSlots));

  /** The slots by local day, in order. */
  const days = createMemo(() => {
    const byDay = new Map<string, Slot[]>();
    for (const s of [...(slots() ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const day = dateVN(s.startsAt);
      byDay.set(day, [...(byDay.get(day) ?? []), s]);
    }
    return [...byDay.entries()];
  });

  const people = () => [{ personId: "", name: t("me") }, ...family().map((m) => ({ personId: m.personId, name: m.fullName }))];

  async function submit(e: Event, withSlot: boolean) {
    e.preventDefault();
    if (busy()) return;
    if (withSlot && !slotId()) {
      setError(t("vaxPickSlot"));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const slot = withSlot ? slotId() : undefined;
      const a =
        props.mode === "book"
          ? await book(appointmentId, slotId())
          : await register({ ...(personId() && personId() !== profile()?.personId ? { personId: personId() } : {}), priorityGroup: priority(), ...(slot ? { slotId: slot } : {}) });
      if (a.status === "booked") navigate(`/vaccination/appointment?id=${a.id}`);
      else setRegistered(true);
    } catch (err) {
      setError(err);
      // A time that filled up meanwhile: show the places as they are now.
      if (err instanceof ApiError && err.code === "slot_full") loadSlots(siteId());
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page" data-testid="vax-book" data-mode={props.mode}>
      <h1>{props.mode === "book" ? t("vaxBookTitle") : t("vaxRegister")}</h1>
      <Show
        when={!registered()}
        fallback={
          <>
            <p class="ok" role="status" data-testid="vax-registered">
              {t("vaxRegistered")}
            </p>
            <A href="/vaccination" class="btn" testId="vax-back">
              {t("vaxBackToList")}
            </A>
          </>
        }
      >
        <form onSubmit={(e) => void submit(e, true)} novalidate data-testid="vax-book-form">
          <Show when={props.mode === "register"}>
            <Show when={family().length > 0}>
              <fieldset>
                <legend>{t("vaxForWhom")}</legend>
                <div class="who" role="group" data-testid="vax-person-switcher">
                  <For each={people()}>
                    {(p) => (
                      <button
                        type="button"
                        aria-pressed={(personId() || "") === p.personId || (!p.personId && personId() === profile()?.personId) ? "true" : "false"}
                        onClick={() => setPersonId(p.personId)}
                        data-testid="vax-person-option"
                        data-person-id={p.personId}
                      >
                        {p.name}
                      </button>
                    )}
                  </For>
                </div>
              </fieldset>
            </Show>
            <Field label={t("vaxPriority")} path="priorityGroup">
              {(a) => (
                <select id={a.id} onChange={(e) => setPriority(e.currentTarget.value as PriorityGroup)} data-testid="vax-priority">
                  <For each={PRIORITY_GROUPS}>
                    {(g) => (
                      <option value={g} selected={priority() === g}>
                        {tx("priority", g)}
                      </option>
                    )}
                  </For>
                </select>
              )}
            </Field>
          </Show>

          <h2>{t("vaxChooseSite")}</h2>
          <UnitPicker province={province()} commune={commune()} onProvince={setProvince} onCommune={setCommune} testId="vax-unit" />
          <VaxAlert error={listError()} testId="vax-list-error" />
          <Show when={province()}>
            <Show when={sites()} fallback={<p class="spin">{t("loading")}</p>}>
              <div class="checks" role="radiogroup" aria-label={t("vaxChooseSite")} data-testid="vax-sites">
                <For each={sites()} fallback={<p class="muted" data-testid="vax-sites-none">{t("vaxSitesNone")}</p>}>
                  {(s) => (
                    <label class="check site">
                      <input type="radio" name="vax-site" value={s.id} checked={siteId() === s.id} onChange={() => setSiteId(s.id)} data-testid="vax-site" data-name={s.name} />
                      <span>
                        <strong>{s.name}</strong>
                        <br />
                        <span class="muted">{s.address}</span>
                      </span>
                    </label>
                  )}
                </For>
              </div>
            </Show>
          </Show>

          <Show when={siteId()}>
            <h2>{t("vaxChooseSlot")}</h2>
            <Show when={next()?.earliestOn && next()!.earliestOn! > todayVN()}>
              <p class="note" data-testid="vax-earliest">
                {t("vaxNext", { n: next()!.doseNumber, d: dateVN(next()!.earliestOn!) })}
              </p>
            </Show>
            <Show when={slots()} fallback={<p class="spin">{t("loading")}</p>}>
              <Show when={days().length > 0} fallback={<p class="muted" data-testid="vax-slots-none">{t("vaxSlotsNone")}</p>}>
                <For each={days()}>
                  {([day, list]) => (
                    <fieldset data-testid="vax-slot-day">
                      <legend>{day}</legend>
                      <div class="slots">
                        <For each={list}>
                          {(s) => (
                            <label class="check slot" classList={{ full: slotState(s) !== "ok" }}>
                              <input
                                type="radio"
                                name="vax-slot"
                                value={s.id}
                                disabled={slotState(s) !== "ok"}
                                checked={slotId() === s.id}
                                onChange={() => setSlotId(s.id)}
                                data-testid="vax-slot"
                                data-free={s.free}
                                data-state={slotState(s)}
                              />
                              <span>
                                <strong>
                                  {timeVN(s.startsAt)}–{timeVN(s.endsAt)}
                                </strong>
                                <br />
                                <span class="muted">
                                  {(() => {
                                    const st = slotState(s);
                                    return st === "ok" ? t("vaxFree", { n: s.free }) : t(SLOT_WORD[st]);
                                  })()}
                                  {s.productCode ? ` · ${t("vaxSlotProduct", { p: s.productCode })}` : ""}
                                </span>
                              </span>
                            </label>
                          )}
                        </For>
                      </div>
                    </fieldset>
                  )}
                </For>
              </Show>
            </Show>
          </Show>

          <VaxAlert error={error()} testId="vax-book-error" />
          <button class="btn" type="submit" disabled={busy()} data-testid="vax-book-submit">
            {busy() ? t("sending") : props.mode === "book" ? t("vaxBook") : t("vaxBookRegister")}
          </button>
          <Show when={props.mode === "register"}>
            <button type="button" class="btn ghost" disabled={busy()} onClick={(e) => void submit(e, false)} data-testid="vax-register-only">
              {t("vaxRegisterOnly")}
            </button>
          </Show>
          <A href="/vaccination" class="btn ghost" testId="vax-book-cancel">
            {t("cancel")}
          </A>
        </form>
      </Show>
    </div>
  );
}
