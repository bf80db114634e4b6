/**
 * "Check someone in" at the door: scan the visitor's personal QR (camera, or the QR text pasted
 * when there is no camera), or type in a person who has no phone. Each attempt carries an
 * idempotency key that is kept for retries of the same input, so a retry never counts twice.
 */
import { Match, Show, Switch, createSignal } from "solid-js";
import { ApiError, checkInAtVenue, verifyHealthQr, type CheckinConfirmation, type HealthStatus, type StaffCheckin } from "../api";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import Spinner from "../components/Spinner";
import { fieldErrors } from "../errors";
import { t } from "../i18n";
import VenueScanner from "./VenueScanner";
import { formatTime, localiseVenueError, newId, normalisePhone } from "./venues.data";

type Tab = "scan" | "type";
type PersonField = "fullName" | "phone" | "birthYear";

interface Outcome {
  ok: boolean;
  at: string;
  name?: string | undefined;
  replay?: boolean | undefined;
  error?: unknown;
  /** The scanned health QR's status (older personal QRs carry none). */
  health?: HealthStatus | undefined;
}

export default function VenueCheckin(props: {
  venueId: string;
  /** After a check-in: refreshes the visitors and returns the visitor's name when it is known. */
  onCheckedIn: (confirmation: CheckinConfirmation) => Promise<string | undefined>;
}) {
  const [tab, setTab] = createSignal<Tab>("scan");
  const [outcome, setOutcome] = createSignal<Outcome | null>(null);
  const [sending, setSending] = createSignal(false);

  // Personal QR pasted by hand.
  const [qrText, setQrText] = createSignal("");
  const [qrError, setQrError] = createSignal<string | undefined>(undefined);

  // A person without a phone.
  const [fullName, setFullName] = createSignal("");
  const [phone, setPhone] = createSignal("");
  const [birthYear, setBirthYear] = createSignal("");
  const [errors, setErrors] = createSignal<Partial<Record<PersonField, string>>>({});

  /** The idempotency key of the input on screen: the same input retried keeps it. */
  let pending: { key: string; id: string } | null = null;
  const idFor = (key: string) => {
    if (!pending || pending.key !== key) pending = { key, id: newId() };
    return pending.id;
  };

  const send = async (body: StaffCheckin, typedName?: string): Promise<boolean> => {
    setSending(true);
    try {
      const confirmation = await checkInAtVenue(props.venueId, body);
      pending = null;
      setOutcome({ ok: true, at: confirmation.checkedInAt, name: typedName, replay: confirmation.replay });
      const name = await props.onCheckedIn(confirmation).catch(() => undefined);
      if (name && !typedName) setOutcome((o) => (o?.ok ? { ...o, name } : o));
      return true;
    } catch (error) {
      // A network failure keeps the key: the next try of the same input is the same check-in.
      if (!(error instanceof ApiError && error.status === 0)) pending = null;
      setOutcome({ ok: false, at: new Date().toISOString(), error: localiseVenueError(error) });
      return false;
    } finally {
      setSending(false);
    }
  };

  const sendQr = async (text: string) => {
    const personalQr = text.trim();
    // The status is read alongside the check-in; a QR without one (older codes) just checks in.
    const health = verifyHealthQr(personalQr).catch(() => undefined);
    const ok = await send({ id: idFor(`qr:${personalQr}`), personalQr });
    const status = await health;
    if (ok && status) setOutcome((o) => (o?.ok ? { ...o, health: status } : o));
    return ok;
  };

  const submitPaste = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!qrText().trim()) {
      setQrError(t("common.required"));
      document.getElementById("venue-checkin-qr")?.focus();
      return;
    }
    const ok = await sendQr(qrText());
    if (ok) setQrText("");
    else if (fieldErrors(outcome()?.error).personalQr) setQrError(t("venue.error.invalidPersonalQr"));
  };

  const validatePerson = () => {
    const found: Partial<Record<PersonField, string>> = {};
    if (!fullName().trim()) found.fullName = t("common.required");
    if (!phone().trim()) found.phone = t("common.required");
    else if (!normalisePhone(phone())) found.phone = t("venue.checkin.phoneInvalid");
    const year = birthYear().trim();
    const thisYear = new Date().getFullYear();
    if (!year) found.birthYear = t("common.required");
    else if (!/^\d{4}$/.test(year) || Number(year) < 1900 || Number(year) > thisYear) found.birthYear = t("venue.checkin.birthYearInvalid");
    return found;
  };

  const submitPerson = async (e: SubmitEvent) => {
    e.preventDefault();
    const found = validatePerson();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`venue-checkin-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    const person = { fullName: fullName().trim(), phone: normalisePhone(phone()) ?? phone().trim(), birthYear: Number(birthYear().trim()) };
    const ok = await send({ id: idFor(`person:${JSON.stringify(person)}`), person }, person.fullName);
    if (ok) {
      setFullName("");
      setPhone("");
      setBirthYear("");
      setErrors({});
    } else {
      // The server's field messages, in the portal's words for the fields it knows.
      const server = fieldErrors(outcome()?.error);
      const local: Partial<Record<PersonField, string>> = {};
      if (server.fullName) local.fullName = t("venue.checkin.fullNameInvalid");
      if (server.phone) local.phone = t("venue.checkin.phoneInvalid");
      if (server.birthYear) local.birthYear = t("venue.checkin.birthYearInvalid");
      setErrors(local);
    }
  };

  const personError = (f: PersonField) => errors()[f];
  const clearPersonError = (f: PersonField) => {
    if (errors()[f]) setErrors(({ [f]: _, ...rest }) => rest);
  };
  const handledFields = () => (tab() === "scan" ? ["personalQr"] : ["fullName", "phone", "birthYear"]);

  return (
    <div class="checkin" data-testid="venue-checkin">
      <div class="tabs" role="tablist" aria-label={t("venue.checkin.title")}>
        <button
          type="button"
          role="tab"
          id="checkin-tab-scan"
          aria-selected={tab() === "scan"}
          aria-controls="checkin-panel"
          class="tab"
          data-testid="venue-checkin-tab-scan"
          onClick={() => setTab("scan")}
        >
          {t("venue.checkin.scan")}
        </button>
        <button
          type="button"
          role="tab"
          id="checkin-tab-type"
          aria-selected={tab() === "type"}
          aria-controls="checkin-panel"
          class="tab"
          data-testid="venue-checkin-tab-type"
          onClick={() => setTab("type")}
        >
          {t("venue.checkin.type")}
        </button>
      </div>

      <div id="checkin-panel" role="tabpanel" aria-labelledby={`checkin-tab-${tab()}`} class="checkin-panel">
        <Switch>
          <Match when={tab() === "scan"}>
            <p class="muted small">{t("venue.checkin.scanHint")}</p>
            <VenueScanner onCode={sendQr} />
            <form class="form paste-form" onSubmit={submitPaste} noValidate data-testid="venue-checkin-paste">
              <Field id="venue-checkin-qr" label={t("venue.checkin.paste")} error={qrError()}>
                <div class="input-row">
                  <input
                    id="venue-checkin-qr"
                    value={qrText()}
                    autocomplete="off"
                    autocapitalize="none"
                    spellcheck={false}
                    onInput={(e) => {
                      setQrText(e.currentTarget.value);
                      setQrError(undefined);
                    }}
                    aria-invalid={qrError() ? "true" : undefined}
                    aria-describedby={describedBy("venue-checkin-qr", qrError())}
                    data-testid="venue-checkin-qr"
                  />
                  <button type="submit" class="btn" disabled={sending()} data-testid="venue-checkin-qr-submit">
                    {t("venue.checkin.submit")}
                  </button>
                </div>
              </Field>
            </form>
          </Match>
          <Match when={tab() === "type"}>
            <p class="muted small">{t("venue.checkin.typeHint")}</p>
            <form class="form form-grid" onSubmit={submitPerson} noValidate data-testid="venue-checkin-person">
              <Field id="venue-checkin-fullName" label={t("venue.checkin.fullName")} error={personError("fullName")} required class="span-2">
                <input
                  id="venue-checkin-fullName"
                  value={fullName()}
                  autocomplete="off"
                  maxLength={120}
                  onInput={(e) => {
                    setFullName(e.currentTarget.value);
                    clearPersonError("fullName");
                  }}
                  aria-invalid={personError("fullName") ? "true" : undefined}
                  aria-describedby={describedBy("venue-checkin-fullName", personError("fullName"))}
                  data-testid="venue-checkin-fullName"
                />
              </Field>
              <Field id="venue-checkin-phone" label={t("venue.checkin.phone")} error={personError("phone")} required>
                <input
                  id="venue-checkin-phone"
                  type="tel"
                  inputmode="tel"
                  autocomplete="off"
                  value={phone()}
                  maxLength={20}
                  onInput={(e) => {
                    setPhone(e.currentTarget.value);
                    clearPersonError("phone");
                  }}
                  aria-invalid={personError("phone") ? "true" : undefined}
                  aria-describedby={describedBy("venue-checkin-phone", personError("phone"))}
                  data-testid="venue-checkin-phone"
                />
              </Field>
              <Field id="venue-checkin-birthYear" label={t("venue.checkin.birthYear")} error={personError("birthYear")} required>
                <input
                  id="venue-checkin-birthYear"
                  inputmode="numeric"
                  autocomplete="off"
                  maxLength={4}
                  placeholder="1980"
                  value={birthYear()}
                  onInput={(e) => {
                    setBirthYear(e.currentTarget.value);
                    clearPersonError("birthYear");
                  }}
                  aria-invalid={personError("birthYear") ? "true" : undefined}
                  aria-describedby={describedBy("venue-checkin-birthYear", personError("birthYear"))}
                  data-testid="venue-checkin-birthYear"
                />
              </Field>
              <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled={sending()} data-testid="venue-checkin-person-submit">
                  <Show when={sending()} fallback={t("venue.checkin.submit")}>
                    <Spinner inline label={t("venue.checkin.sending")} />
                  </Show>
                </button>
              </div>
            </form>
          </Match>
        </Switch>
      </div>

      <div class="checkin-result" aria-live="polite">
        <Show when={outcome()}>
          {(o) => (
            <Show
              when={o().ok}
              fallback={<ErrorBanner error={o().error} handledFields={handledFields()} onDismiss={() => setOutcome(null)} testId="venue-checkin-error" />}
            >
              <div class="banner banner-success checkin-ok" data-testid="venue-checkin-ok">
                <svg class="banner-icon" viewBox="0 0 24 24" aria-hidden="true">
                  <path d="M9 16.2 4.8 12l-1.4 1.4L9 19 21 7l-1.4-1.4z" fill="currentColor" />
                </svg>
                <div class="banner-body">
                  <p class="banner-message">
                    {o().name
                      ? t("venue.checkin.okName", { name: o().name!, time: formatTime(o().at) })
                      : t("venue.checkin.ok", { time: formatTime(o().at) })}
                  </p>
                  <Show when={o().replay}>
                    <p class="banner-meta">{t("venue.checkin.replay")}</p>
                  </Show>
                  <Show when={o().health}>
                    {(h) => (
                      <p class="health-status" data-testid="venue-checkin-health" data-status={h().status} style={{ background: h().colour, color: "#fff", padding: "0.25rem 0.5rem", "border-radius": "4px" }}>
                        {t(`venue.checkin.health.${h().status}`)} · {h().initials} {h().birthYear ?? ""}
                      </p>
                    )}
                  </Show>
                </div>
                <div class="banner-actions">
                  <button type="button" class="icon-btn" aria-label={t("error.dismiss")} onClick={() => setOutcome(null)}>
                    ×
                  </button>
                </div>
              </div>
            </Show>
          )}
        </Show>
      </div>
    </div>
  );
}
