/**
 * Record a dose: who (the checked-in person, someone found by phone, or a person typed in), where
 * (a site of the caller's), which lot (expired lots hidden unless asked for), the dose number
 * (the person's next by default), the day and the vaccinator. A refused dose shows the broken
 * rule, in the reader's language, under the field it is about.
 *
 * Opened after a check-in as /vaccination/record?siteId&personId&appointmentId&doseNumber.
 */
import { A, useNavigate, useSearchParams } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal, on } from "solid-js";
import { canLookUpPeople, canVaccinate } from "../../access";
import { ApiError } from "../../api";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { t } from "../../i18n";
import { session } from "../../session";
import { PERSON_FIELDS, PERSON_PATHS, createPersonPicker } from "../tracing/PersonPicker";
import { fieldErrorsByPath } from "../tracing/tracing.data";
import { formatDay, todayInVietnam } from "../venues.data";
import { Input, Submit } from "./form";
import PersonFields from "./PersonFields";
import VaccinationNav from "./VaccinationNav";
import { getPersonVaccinations, listLots, listSites, recordDose, type Lot, type NewDose, type PersonVaccinations } from "./vaccination.api";
import { doseFieldErrors, doseLabel, inMyLanguage, localised } from "./vaccination.data";
import "../tracing/tracing.css";
import "./vaccination.css";

type Params = { siteId?: string; personId?: string; appointmentId?: string; doseNumber?: string };
const DOSE_FIELDS = ["siteId", "lotId", "doseNumber", "givenOn", "vaccinator", "appointmentId"] as const;
type F = (typeof DOSE_FIELDS)[number];
const VACCINATOR_KEY = "php.portal.vaccinator";

function rememberedVaccinator(): string {
  try {
    return localStorage.getItem(VACCINATOR_KEY) ?? "";
  } catch {
    return "";
  }
}

export default function RecordDosePage() {
  const me = () => session.user()!;
  const navigate = useNavigate();
  const [params] = useSearchParams<Params>();
  const today = todayInVietnam();

  // Who: the person of the appointment (fixed), or one picked or typed in.
  const [personId, setPersonId] = createSignal(params.personId ?? "");
  const appointmentId = () => (personId() && personId() === params.personId ? (params.appointmentId ?? "") : "");
  const picker = createPersonPicker(me());
  const canLookUp = canLookUpPeople(me().role);
  const [record, { refetch: refetchRecord }] = createResource(
    () => personId() || picker.picked()?.id || null,
    (id) => getPersonVaccinations(id).catch((error: unknown) => (error instanceof ApiError && [403, 404].includes(error.status) ? null : Promise.reject(error))),
  );

  // Where and with what.
  const [sites] = createResource(() => listSites({ status: "active", limit: 100 }).then((r) => r.items));
  const [siteId, setSiteId] = createSignal(params.siteId ?? "");
  createEffect(() => {
    const items = sites() ?? [];
    if (!siteId() && items.length === 1) setSiteId(items[0]!.id);
  });
  const site = () => (sites() ?? []).find((s) => s.id === siteId()) ?? null;
  // A typed-in person lives, by default, in the site's commune.
  createEffect(
    on(site, (s) => {
      if (s && !picker.communeCode()) {
        picker.setProvinceCode(s.provinceCode);
        picker.setCommuneCode(s.communeCode);
      }
    }),
  );

  const [showExpired, setShowExpired] = createSignal(false);
  // (An object source: a bare `false` would keep the resource from loading at all.)
  const [lots] = createResource(() => ({ includeExpired: showExpired() }), (q) => listLots({ ...q, limit: 200 }).then((r) => r.items));
  const [lotId, setLotId] = createSignal("");
  const [doseNumber, setDoseNumber] = createSignal(params.doseNumber ?? "");
  const [givenOn, setGivenOn] = createSignal(today);
  const [vaccinator, setVaccinator] = createSignal(rememberedVaccinator());
  const [errors, setErrors] = createSignal<Partial<Record<F, string>>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const next = () => record()?.nextDose ?? null;
  // Each person's next dose fills the dose number; the appointment's dose (in the address) wins the first time.
  let keepAddressDose = !!params.doseNumber;
  createEffect(
    on(record, (r) => {
      if (r === undefined) return;
      if (keepAddressDose) {
        keepAddressDose = false;
        return;
      }
      setDoseNumber(r?.nextDose ? String(r.nextDose.doseNumber) : "");
    }),
  );
  const allowed = () => next()?.allowedProducts ?? null;
  const lotChoices = createMemo(() =>
    [...(lots() ?? [])].sort((a, b) => Number(a.expired) - Number(b.expired) || a.productCode.localeCompare(b.productCode) || a.lotNumber.localeCompare(b.lotNumber)),
  );
  const lot = () => lotChoices().find((l) => l.id === lotId()) ?? null;
  const lotLabel = (l: Lot) => {
    const notes = [];
    if (l.expired) notes.push(t("vacc.lot.expiredTag"));
    else if (allowed() && !allowed()!.includes(l.productCode)) notes.push(t("vacc.record.notAllowedTag"));
    return `${l.lotNumber} · ${l.productCode} · ${t("vacc.lot.expiresShort", { day: formatDay(l.expiresOn) })}${notes.length ? ` (${notes.join(", ")})` : ""}`;
  };

  const err = (f: F) => errors()[f];
  const clear = (f: F) => {
    if (errors()[f]) setErrors(({ [f]: _, ...rest }) => rest);
    setFailure(null);
  };

  const validate = () => {
    const found: Partial<Record<F, string>> = {};
    if (!siteId()) found.siteId = t("common.requiredSelect");
    if (!lotId()) found.lotId = t("common.requiredSelect");
    if (doseNumber() && !(/^\d+$/.test(doseNumber()) && Number(doseNumber()) >= 1)) found.doseNumber = t("vacc.record.doseInvalid");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(givenOn())) found.givenOn = t("common.required");
    else if (givenOn() > today) found.givenOn = t("vacc.rule.dose_in_future");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const personOk = personId() ? true : picker.validate();
    const found = validate();
    setErrors(found);
    if (!personOk || Object.keys(found).length > 0) {
      document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
      return;
    }
    setSaving(true);
    try {
      const who = personId() ? { personId: personId() } : picker.ref();
      const input: NewDose = {
        ...who,
        siteId: siteId(),
        lotId: lotId(),
        givenOn: givenOn(),
        vaccinator: vaccinator().trim() || null,
        ...(doseNumber() ? { doseNumber: Number(doseNumber()) } : {}),
        ...(appointmentId() ? { appointmentId: appointmentId() } : {}),
      };
      const dose = await recordDose(input);
      try {
        localStorage.setItem(VACCINATOR_KEY, vaccinator().trim());
      } catch {
        // Private mode: nothing to remember.
      }
      navigate(`/vaccination/people/${encodeURIComponent(dose.personId)}`, { state: { recorded: dose.id } });
    } catch (error) {
      const byField = doseFieldErrors(error);
      const mine: Partial<Record<F, string>> = {};
      for (const f of DOSE_FIELDS) if (byField[f]) mine[f] = byField[f];
      setErrors(mine);
      const byPath = fieldErrorsByPath(error);
      const personErrors: Record<string, string> = {};
      for (const p of PERSON_PATHS) if (byPath[p]) personErrors[p] = inMyLanguage(byPath[p]);
      if (!personId()) picker.setErrors(personErrors);
      const shown = Object.keys(mine).length + Object.keys(personErrors).length;
      setFailure(shown > 0 && error instanceof ApiError && error.details.length <= shown ? null : localised(error));
      document.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
    } finally {
      setSaving(false);
    }
  };

  createEffect(() => {
    const p = record()?.person;
    if (p) ensureAreaNames(p.provinceCode, p.communeCode);
  });

  return (
    <section class="page" data-testid="vacc-record-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-record-title">{t("vacc.record.title")}</h1>
          <p class="muted">{t("vacc.record.lead")}</p>
        </div>
      </header>
      <Show when={canVaccinate(me().role)} fallback={<p class="card">{t("error.noAccess")}</p>}>
        <form class="card form vacc-record-form" onSubmit={submit} noValidate data-testid="vacc-record-form">
          <ErrorBanner error={failure()} handledFields={[...DOSE_FIELDS, ...PERSON_FIELDS]} testId="vacc-record-error" />

          <Show
            when={personId()}
            fallback={<PersonFields picker={picker} canLookUp={canLookUp} />}
          >
            <fieldset class="fieldset" data-testid="vacc-record-person">
              <legend>{t("vacc.person.legend")}</legend>
              <Show when={record()} fallback={<p class="muted">{record.loading ? t("common.loading") : t("vacc.record.personUnknown")}</p>}>
                {(r) => (
                  <div class="vacc-person-head">
                    <div>
                      <strong data-testid="vacc-record-person-name">{r().person.fullName}</strong>
                      <span class="sub muted">
                        {r().person.phone ?? "–"} · {r().person.birthYear ?? "–"} · {areaLabel(r().person.provinceCode, r().person.communeCode)}
                      </span>
                    </div>
                    <Show when={!appointmentId()}>
                      <button type="button" class="btn btn-small btn-ghost" onClick={() => setPersonId("")} data-testid="vacc-record-change-person">
                        {t("vacc.record.changePerson")}
                      </button>
                    </Show>
                  </div>
                )}
              </Show>
              <Show when={appointmentId()}>
                <p class="small muted" data-testid="vacc-record-appointment">
                  {t("vacc.record.fromAppointment")}
                </p>
              </Show>
            </fieldset>
          </Show>
          <Show when={record.error}>
            <ErrorBanner error={record.error} onRetry={() => void refetchRecord()} />
          </Show>

          <Show when={record()}>
            {(r) => <History record={r()} />}
          </Show>

          <fieldset class="fieldset">
            <legend>{t("vacc.record.doseLegend")}</legend>
            <div class="form form-grid">
              <Field id="vacc-record-siteId" label={t("vacc.record.site")} error={err("siteId")} required class="span-2">
                <select
                  id="vacc-record-siteId"
                  value={siteId()}
                  onChange={(e) => {
                    setSiteId(e.currentTarget.value);
                    clear("siteId");
                  }}
                  aria-invalid={err("siteId") ? "true" : undefined}
                  aria-describedby={describedBy("vacc-record-siteId", err("siteId"))}
                  data-testid="vacc-record-site"
                >
                  <option value="" selected={!siteId()}>
                    {sites.loading ? t("common.loading") : t("vacc.record.chooseSite")}
                  </option>
                  <For each={sites() ?? []}>
                    {(s) => (
                      <option value={s.id} selected={s.id === siteId()}>
                        {s.name}
                      </option>
                    )}
                  </For>
                </select>
              </Field>
              <Field id="vacc-record-lotId" label={t("vacc.record.lot")} error={err("lotId")} required hint={lotHint(lot(), allowed())} class="span-2">
                <select
                  id="vacc-record-lotId"
                  value={lotId()}
                  onChange={(e) => {
                    setLotId(e.currentTarget.value);
                    clear("lotId");
                  }}
                  aria-invalid={err("lotId") ? "true" : undefined}
                  aria-describedby={describedBy("vacc-record-lotId", err("lotId"), true)}
                  data-testid="vacc-record-lot"
                >
                  <option value="" selected={!lotId()}>
                    {lots.loading ? t("common.loading") : t("vacc.record.chooseLot")}
                  </option>
                  <For each={lotChoices()}>
                    {(l) => (
                      <option value={l.id} selected={l.id === lotId()} data-lot-number={l.lotNumber} data-expired={String(l.expired)}>
                        {lotLabel(l)}
                      </option>
                    )}
                  </For>
                </select>
              </Field>
              <label class="check-row span-2">
                <input
                  type="checkbox"
                  checked={showExpired()}
                  onChange={(e) => {
                    setShowExpired(e.currentTarget.checked);
                    if (!e.currentTarget.checked && lot()?.expired) setLotId("");
                  }}
                  data-testid="vacc-record-show-expired"
                />
                {t("vacc.record.showExpired")}
              </label>
              <Input
                id="vacc-record-doseNumber"
                type="number"
                inputmode="numeric"
                min={1}
                label={t("vacc.record.doseNumber")}
                hint={next() ? t("vacc.record.doseNumberHint", { n: next()!.doseNumber }) : t("vacc.record.doseNumberDefault")}
                value={doseNumber()}
                error={err("doseNumber")}
                testId="vacc-record-dose-number"
                onInput={(v) => {
                  setDoseNumber(v);
                  clear("doseNumber");
                }}
              />
              <Input
                id="vacc-record-givenOn"
                type="date"
                max={today}
                label={t("vacc.record.givenOn")}
                required
                value={givenOn()}
                hint={earliestHint(next()?.earliestOn ?? null, givenOn())}
                error={err("givenOn")}
                testId="vacc-record-given-on"
                onInput={(v) => {
                  setGivenOn(v);
                  clear("givenOn");
                }}
              />
              <Input
                id="vacc-record-vaccinator"
                label={t("vacc.record.vaccinator")}
                maxLength={120}
                value={vaccinator()}
                error={err("vaccinator")}
                class="span-2"
                testId="vacc-record-vaccinator"
                onInput={(v) => {
                  setVaccinator(v);
                  clear("vaccinator");
                }}
              />
            </div>
          </fieldset>
          <Show when={err("appointmentId")}>
            <p class="field-error" role="alert">
              {err("appointmentId")}
            </p>
          </Show>
          <div class="form-actions">
            <A href="/vaccination/doses" class="btn btn-ghost">
              {t("common.cancel")}
            </A>
            <Submit busy={saving()} label={t("vacc.record.submit")} busyLabel={t("common.saving")} testId="vacc-record-submit" />
          </div>
        </form>
      </Show>
    </section>
  );
}

/** Under the lot: its product and expiry, or what the person may have next. */
function lotHint(lot: Lot | null, allowed: string[] | null): string | undefined {
  if (lot?.expired) return t("vacc.record.lotExpiredHint", { day: formatDay(lot.expiresOn) });
  if (allowed) return t("vacc.record.allowedProducts", { list: allowed.join(", ") });
  return undefined;
}

/** Under the day: from when the next dose may be given (the interval rule), when it is later than the day chosen. */
function earliestHint(earliestOn: string | null, givenOn: string): string | undefined {
  if (!earliestOn) return undefined;
  return earliestOn > givenOn ? t("vacc.record.earliestLater", { day: formatDay(earliestOn) }) : t("vacc.record.earliest", { day: formatDay(earliestOn) });
}

/** The doses already given, so the vaccinator sees what came before. */
function History(props: { record: PersonVaccinations }) {
  return (
    <div class="vacc-history" data-testid="vacc-record-history">
      <h3>{t("vacc.record.history")}</h3>
      <Show when={props.record.doses.length > 0} fallback={<p class="muted small">{t("vacc.person.noDoses")}</p>}>
        <ol class="vacc-dose-chips">
          <For each={props.record.doses}>
            {(d) => (
              <li class="vacc-dose-chip" data-testid="vacc-history-dose">
                <strong>{doseLabel(d.doseNumber)}</strong> {d.productCode} · {formatDay(d.givenOn)}
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Show when={props.record.nextDose}>
        {(n) => (
          <p class="small" data-testid="vacc-record-next">
            {t("vacc.person.next", { n: n().doseNumber, day: n().earliestOn ? formatDay(n().earliestOn!) : t("vacc.person.now"), products: n().allowedProducts.join(", ") })}
          </p>
        )}
      </Show>
    </div>
  );
}
