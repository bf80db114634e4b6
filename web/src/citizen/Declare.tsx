/**
 * The health declaration (POST /api/me/declarations) for the citizen or a family member: kind,
 * 14-day symptoms and exposures, travel or entry details. The server's 400 details land next to
 * their fields. After filing: the classified risk, and the QR status as it is now.
 */
import { For, Show, createMemo, createSignal, type JSX } from "solid-js";
import { createStore } from "solid-js/store";
import { KINDS, MEANS, SEXES, SYMPTOMS, declare, healthQr, type DeclarationInput, type DeclarationKind, type Filed, type HealthQr, type Sex, type Symptom, type TravelMeans } from "./api";
import { paint } from "./Home";
import { t, tx, type Key } from "./i18n";
import { family, loadMe, personName, profile, profileComplete, setWhose } from "./me";
import { query } from "./router";
import { ApiError } from "./session";
import { A, Alert, Choice, Field, UnitPicker, fieldErrors, todayVN, type Errors } from "./ui";

const STATUS_WORD = { green: "statusGreen", yellow: "statusYellow", red: "statusRed" } as const satisfies Record<HealthQr["status"], Key>;
const RISK_HINT = { none: "riskNoneHint", watch: "riskWatchHint", follow_up: "riskFollowHint" } as const satisfies Record<Filed["risk"], Key>;

function blank(kind: DeclarationKind = "domestic") {
  return {
    personId: "",
    kind,
    sex: "" as Sex | "",
    nationality: "VN",
    idNumber: "",
    address: "",
    province: "",
    communeCode: "",
    symptoms: [] as Symptom[],
    contactWithCase: false,
    fromOutbreakArea: false,
    contactWithSymptomatic: false,
    placesVisited: "",
    travel: { means: "motorbike" as TravelMeans, from: "", to: "", route: "", date: "" },
    entry: { departureCountry: "", flightOrVehicle: "", portOfEntry: "", entryDate: "" },
    venueId: "",
  };
}

export function Declare() {
  void loadMe();
  const venueFromLink = query().get("venueId") ?? "";
  const [f, setF] = createStore(blank(venueFromLink ? "venue" : "domestic"));
  if (venueFromLink) setF("venueId", venueFromLink);
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [filed, setFiled] = createSignal<{ answer: Filed; personId: string; qr?: HealthQr }>();

  const me = () => profile()?.personId ?? "";
  const who = createMemo(() => f.personId || me());
  const people = () => [
    ...(profile() ? [{ personId: me(), name: `${t("me")}${profile()!.fullName ? ` — ${profile()!.fullName}` : ""}` }] : []),
    ...family().map((m) => ({ personId: m.personId, name: m.fullName })),
  ];

  const err = (path: string) => errors()[path];
  /** The paths this form shows next to a field; others are listed above the button. */
  const shown = new Set<string>();
  const at = (path: string) => (shown.add(path), err(path));

  const text = (path: string, label: Key, value: () => string, set: (v: string) => void, attrs: JSX.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field label={t(label)} error={at(path)} path={path}>
      {(a) => <input id={a.id} value={value()} onInput={(e) => set(e.currentTarget.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} data-testid={`declare-${path}`} {...attrs} />}
    </Field>
  );

  function body(): DeclarationInput {
    const common = {
      personId: who(),
      sex: f.sex || null,
      nationality: f.nationality.trim() || "VN",
      address: f.address.trim() || null,
      symptoms: [...f.symptoms],
      contactWithCase: f.contactWithCase,
      fromOutbreakArea: f.fromOutbreakArea,
      contactWithSymptomatic: f.contactWithSymptomatic,
      placesVisited: f.placesVisited.trim() || null,
      ...(f.communeCode ? { communeCode: f.communeCode } : {}),
      ...(f.idNumber.trim() ? { idNumber: f.idNumber.trim() } : {}),
    };
    switch (f.kind) {
      case "domestic":
        return {
          ...common,
          kind: "domestic",
          travel: { means: f.travel.means, from: f.travel.from, to: f.travel.to, route: f.travel.route || null, date: f.travel.date || null },
        };
      case "entry":
        // byKind() in server/declarations/schemas.ts spreads a generic shape, so TypeScript sees the
        // entry's idNumber as an intersection that only `undefined` satisfies; at run time it is
        // the required string.
        return { ...common, kind: "entry", idNumber: f.idNumber.trim(), entry: { ...f.entry } } as unknown as DeclarationInput;
      case "venue":
        return { ...common, kind: "venue", venueId: f.venueId.trim() };
    }
  }

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    setErrors({});
    const personId = who();
    try {
      const answer = await declare(body());
      setFiled({ answer, personId });
      setWhose(personId === me() ? "" : personId);
      scrollTo(0, 0);
      // The QR status follows the declaration: show it as it is now.
      healthQr(personId === me() ? undefined : personId)
        .then((qr) => setFiled({ answer, personId, qr }))
        .catch(() => undefined);
    } catch (x) {
      setErrors(fieldErrors(x));
      setError(x);
      queueMicrotask(() => (document.querySelector("[aria-invalid=true]") as HTMLElement | null)?.focus());
    } finally {
      setBusy(false);
    }
  }

  const others = () => (error() instanceof ApiError ? (error() as ApiError).details.filter((d) => !shown.has(d.path)) : []);

  return (
    <div class="page" data-testid="declare">
      <Show
        when={!filed()}
        fallback={
          <section data-testid="declare-result" data-risk={filed()!.answer.risk}>
            <h1>{t("declared")}</h1>
            <p class="muted">{personName(filed()!.personId)}</p>
            <p>
              <span class={`pill ${filed()!.answer.risk}`} data-testid="declare-risk">
                {tx("risk", filed()!.answer.risk)}
              </span>
            </p>
            <Show when={filed()!.answer.riskReasons.length > 0}>
              <ul data-testid="declare-reasons">
                <For each={filed()!.answer.riskReasons}>{(r) => <li>{tx("reason", r)}</li>}</For>
              </ul>
            </Show>
            <p>{t(RISK_HINT[filed()!.answer.risk])}</p>
            <Show when={filed()!.qr}>
              {(qr) => (
                <div class={`status ${qr().status}`} style={paint(qr().colour)} data-testid="declare-qr-status" data-status={qr().status}>
                  <p>{t("qrNow")}</p>
                  <p class="status-word">{t(STATUS_WORD[qr().status])}</p>
                </div>
              )}
            </Show>
            <A href="/" class="btn" testId="declare-show-qr">
              {t("showQr")}
            </A>
            <button type="button" class="btn ghost" onClick={() => (setF(blank()), setFiled(undefined))}>
              {t("declareAnother")}
            </button>
          </section>
        }
      >
        <h1>{t("declareTitle")}</h1>
        <p class="lead">{t("declareLead")}</p>
        <Show when={profile() && !profileComplete(profile())}>
          <div class="note">
            <p>{t("profileMissing")}</p>
            <A href="/profile" class="btn ghost">
              {t("profileGo")}
            </A>
          </div>
        </Show>
        <form onSubmit={submit} novalidate data-testid="declare-form">
          <Field label={t("forWhom")} error={at("personId")} path="personId">
            {(a) => (
              <select id={a.id} onChange={(e) => setF("personId", e.currentTarget.value)} data-testid="declare-person">
                <For each={people()}>
                  {(p) => (
                    <option value={p.personId} selected={p.personId === who()}>
                      {p.name}
                    </option>
                  )}
                </For>
              </select>
            )}
          </Field>
          <Choice name="kind" legend={t("kind")} options={KINDS} label={(k) => tx("kind", k)} value={f.kind} onChange={(k) => setF("kind", k)} testId="declare-kind" error={at("kind")} />

          <fieldset data-testid="declare-symptoms">
            <legend>{t("symptomsTitle")}</legend>
            <div class="checks">
              <For each={SYMPTOMS}>
                {(s) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={f.symptoms.includes(s)}
                      onChange={(e) => setF("symptoms", e.currentTarget.checked ? [...f.symptoms, s] : f.symptoms.filter((x) => x !== s))}
                      data-testid={`symptom-${s}`}
                    />
                    {tx("symptom", s)}
                  </label>
                )}
              </For>
            </div>
            <Show when={at("symptoms")}>
              <p class="field-error">{err("symptoms")}</p>
            </Show>
          </fieldset>

          <fieldset>
            <legend>{t("exposureTitle")}</legend>
            <div class="checks">
              <For each={["contactWithCase", "fromOutbreakArea", "contactWithSymptomatic"] as const}>
                {(k) => (
                  <label class="check">
                    <input type="checkbox" checked={f[k]} onChange={(e) => setF(k, e.currentTarget.checked)} data-testid={`declare-${k}`} />
                    {t(k)}
                  </label>
                )}
              </For>
            </div>
          </fieldset>

          <Show when={f.kind === "domestic"}>
            <h2>{t("travelTitle")}</h2>
            <Field label={t("means")} error={at("travel.means")} path="travel.means">
              {(a) => (
                <select id={a.id} onChange={(e) => setF("travel", "means", e.currentTarget.value as TravelMeans)} aria-invalid={a.invalid} data-testid="declare-travel.means">
                  <For each={MEANS}>
                    {(m) => (
                      <option value={m} selected={f.travel.means === m}>
                        {tx("means", m)}
                      </option>
                    )}
                  </For>
                </select>
              )}
            </Field>
            <div class="row2">
              {text("travel.from", "travelFrom", () => f.travel.from, (v) => setF("travel", "from", v), { maxlength: 200 })}
              {text("travel.to", "travelTo", () => f.travel.to, (v) => setF("travel", "to", v), { maxlength: 200 })}
            </div>
            {text("travel.route", "route", () => f.travel.route, (v) => setF("travel", "route", v), { maxlength: 500 })}
            {text("travel.date", "departureDate", () => f.travel.date, (v) => setF("travel", "date", v), { type: "date", max: todayVN() })}
          </Show>

          <Show when={f.kind === "entry"}>
            <h2>{t("entryTitle")}</h2>
            {text("nationality", "nationality", () => f.nationality, (v) => setF("nationality", v.toUpperCase()), { maxlength: 2, autocapitalize: "characters" })}
            {text("idNumber", "documentNumber", () => f.idNumber, (v) => setF("idNumber", v), { maxlength: 20, autocomplete: "off" })}
            {text("entry.departureCountry", "departureCountry", () => f.entry.departureCountry, (v) => setF("entry", "departureCountry", v.toUpperCase()), { maxlength: 2, autocapitalize: "characters" })}
            {text("entry.flightOrVehicle", "flight", () => f.entry.flightOrVehicle, (v) => setF("entry", "flightOrVehicle", v), { maxlength: 40 })}
            {text("entry.portOfEntry", "portOfEntry", () => f.entry.portOfEntry, (v) => setF("entry", "portOfEntry", v), { maxlength: 120 })}
            {text("entry.entryDate", "entryDate", () => f.entry.entryDate, (v) => setF("entry", "entryDate", v), { type: "date", max: todayVN() })}
            <UnitPicker
              province={f.province}
              commune={f.communeCode}
              onProvince={(v) => setF("province", v)}
              onCommune={(v) => setF("communeCode", v)}
              communeLabel={t("destination")}
              error={at("communeCode")}
              path="communeCode"
              testId="declare-destination"
            />
          </Show>

          <Show when={f.kind === "venue"}>{text("venueId", "venueId", () => f.venueId, (v) => setF("venueId", v), { autocomplete: "off" })}</Show>

          <h2>{t("personDetails")}</h2>
          <Choice name="declare-sex" legend={t("sex")} options={SEXES} label={(v) => tx("sex", v)} value={f.sex as Sex} onChange={(v) => setF("sex", v)} error={at("sex")} />
          {text("address", "address", () => f.address, (v) => setF("address", v), { maxlength: 300, autocomplete: "street-address" })}
          <Field label={t("placesVisited")} error={at("placesVisited")} path="placesVisited">
            {(a) => (
              <textarea id={a.id} maxlength={2000} value={f.placesVisited} onInput={(e) => setF("placesVisited", e.currentTarget.value)} aria-invalid={a.invalid} data-testid="declare-placesVisited" />
            )}
          </Field>

          <Alert error={error()} testId="declare-error" />
          <Show when={others().length > 0}>
            <ul class="field-error" data-testid="declare-other-errors">
              <For each={others()}>{(d) => <li>{fieldErrors(new ApiError(400, "", "", [d]))[d.path]}</li>}</For>
            </ul>
          </Show>
          <button class="btn" type="submit" disabled={busy() || !who()} data-testid="declare-submit">
            {busy() ? t("sending") : t("submitDeclaration")}
          </button>
        </form>
      </Show>
    </div>
  );
}
