/** Community reports: send one (with or without an account) and follow it by its receipt code. */
import { For, Show, createSignal } from "solid-js";
import { normalizePhone } from "../checkin/format";
import { REPORT_KINDS, followReport, sendReport, type PublicReport, type ReportKind, type ReportReceipt } from "./api";
import { t, tx } from "./i18n";
import { profile } from "./me";
import { navigate, query } from "./router";
import { session } from "./session";
import { A, Alert, Choice, Field, UnitPicker, dateVN, fieldErrors, type Errors } from "./ui";

export function Report() {
  const [kind, setKind] = createSignal<ReportKind>("suspected_case");
  const [province, setProvince] = createSignal(profile()?.provinceCode ?? "");
  const [commune, setCommune] = createSignal(profile()?.communeCode ?? "");
  const [place, setPlace] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [name, setName] = createSignal("");
  const [phone, setPhone] = createSignal("");
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [receipt, setReceipt] = createSignal<ReportReceipt>();

  async function submit(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const local: Errors = {};
    if (!commune()) local.communeCode = t("communeRequired");
    if (description().trim().length < 10) local.description = t("reportTooShort");
    const p = phone().trim() ? normalizePhone(phone()) : "";
    if (p === undefined) local.phone = t("phoneInvalid");
    setErrors(local);
    setError(undefined);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      setReceipt(
        await sendReport({
          kind: kind(),
          communeCode: commune(),
          place: place().trim() || null,
          description: description().trim(),
          name: name().trim() || null,
          phone: p || null,
        }),
      );
      scrollTo(0, 0);
    } catch (x) {
      setErrors(fieldErrors(x));
      setError(x);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page" data-testid="report">
      <Show
        when={!receipt()}
        fallback={
          <section data-testid="report-sent">
            <h1>{t("reportTitle")}</h1>
            <div class="receipt">
              <p>{t("reportSent")}</p>
              <strong data-testid="report-receipt">{receipt()!.receipt}</strong>
              <p class="muted">{t("receiptHint")}</p>
            </div>
            <A href={`/report/follow?receipt=${receipt()!.receipt}`} class="btn" testId="report-follow">
              {t("followThis")}
            </A>
          </section>
        }
      >
        <h1>{t("reportTitle")}</h1>
        <p class="lead">{t("reportLead")}</p>
        <form onSubmit={submit} novalidate data-testid="report-form">
          <Choice name="report-kind" legend={t("reportKind")} options={REPORT_KINDS} label={(k) => tx("report", k)} value={kind()} onChange={setKind} testId="report-kind" error={errors().kind} />
          <UnitPicker province={province()} commune={commune()} onProvince={setProvince} onCommune={setCommune} error={errors().communeCode} path="communeCode" testId="report" />
          <Field label={t("place")} error={errors().place} path="place">
            {(a) => <input id={a.id} maxlength={300} value={place()} onInput={(e) => setPlace(e.currentTarget.value)} aria-invalid={a.invalid} data-testid="report-place" />}
          </Field>
          <Field label={t("description")} error={errors().description} path="description">
            {(a) => (
              <textarea id={a.id} maxlength={4000} value={description()} onInput={(e) => setDescription(e.currentTarget.value)} aria-invalid={a.invalid} aria-describedby={a.describedBy} data-testid="report-description" />
            )}
          </Field>
          <Show when={!session()}>
            <Field label={`${t("reporterName")} ${t("optional")}`} error={errors().name} path="name">
              {(a) => <input id={a.id} maxlength={120} autocomplete="name" value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={a.invalid} data-testid="report-name" />}
            </Field>
            <Field label={`${t("reporterPhone")} ${t("optional")}`} error={errors().phone} path="phone">
              {(a) => <input id={a.id} type="tel" inputmode="tel" maxlength={16} value={phone()} onInput={(e) => setPhone(e.currentTarget.value)} aria-invalid={a.invalid} data-testid="report-phone" />}
            </Field>
          </Show>
          <Alert error={error()} testId="report-error" />
          <button class="btn" type="submit" disabled={busy()} data-testid="report-submit">
            {busy() ? t("sending") : t("sendReport")}
          </button>
        </form>
      </Show>
    </div>
  );
}

export function FollowReport() {
  const [code, setCode] = createSignal(query().get("receipt") ?? "");
  const [report, setReport] = createSignal<PublicReport>();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);

  async function lookup(e?: Event) {
    e?.preventDefault();
    const c = code().trim().toUpperCase().replace(/[\s-]/g, "");
    if (!c || busy()) return;
    setCode(c);
    setBusy(true);
    setError(undefined);
    setReport(undefined);
    try {
      setReport(await followReport(c));
      navigate(`/report/follow?receipt=${c}`, true);
    } catch (x) {
      setError(x);
    } finally {
      setBusy(false);
    }
  }
  if (code()) void lookup();

  return (
    <div class="page" data-testid="follow">
      <h1>{t("followTitle")}</h1>
      <form onSubmit={lookup} novalidate>
        <Field label={t("receipt")}>
          {(a) => (
            <input
              id={a.id}
              class="code-input"
              autocapitalize="characters"
              autocomplete="off"
              maxlength={10}
              value={code()}
              onInput={(e) => setCode(e.currentTarget.value)}
              data-testid="follow-receipt"
            />
          )}
        </Field>
        <button class="btn" type="submit" disabled={busy()} data-testid="follow-submit">
          {busy() ? t("loading") : t("lookup")}
        </button>
      </form>
      <Show when={error()}>
        <Alert error={(error() as { status?: number }).status === 404 || (error() as { status?: number }).status === 400 ? t("receiptNotFound") : error()} testId="follow-error" />
      </Show>
      <Show when={report()}>
        {(r) => (
          <section class="card" data-testid="follow-report" data-status={r().status}>
            <p class="title">{tx("report", r().kind)}</p>
            <p>
              <span class="pill" data-testid="follow-status">
                {tx("status", r().status)}
              </span>
            </p>
            <p class="muted">
              {t("filedOn", { d: dateVN(r().createdAt) })} · {t("updatedOn", { d: dateVN(r().updatedAt) })}
            </p>
            <h2>{t("teamNotes")}</h2>
            <ul class="cards">
              <For each={r().notes} fallback={<p class="muted">{t("notesNone")}</p>}>
                {(n) => (
                  <li class="card">
                    <p class="muted">
                      {dateVN(n.createdAt)}
                      {n.status ? ` · ${tx("status", n.status)}` : ""}
                    </p>
                    <p>{n.note}</p>
                  </li>
                )}
              </For>
            </ul>
          </section>
        )}
      </Show>
    </div>
  );
}
