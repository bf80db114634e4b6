/**
 * A person's vaccination record: the doses (with "record a reaction" on each), the reactions,
 * what the next dose may be, and the printed certificate (the PDF with the health-card QR,
 * fetched with the session's token). Province and national officers may revoke the cards.
 */
import { A, useLocation } from "@solidjs/router";
import { For, Show, createEffect, createSignal } from "solid-js";
import { canPrintCertificates, canRevokeCertificates, canVaccinate, withinArea } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage from "../../components/RecordPage";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import { formatDay, saveBlob, slug } from "../venues.data";
import ReactionForm from "./ReactionForm";
import VaccinationNav from "./VaccinationNav";
import { getPersonVaccinations, printCertificate, revokeCertificates, type Dose, type PersonVaccinations } from "./vaccination.api";
import { doseLabel, localised, reactionStatusLabel, severityLabel, sourceLabel, symptomLabel } from "./vaccination.data";
import "./vaccination.css";

export default function PersonRecordPage() {
  return (
    <RecordPage<PersonVaccinations>
      name="vacc-person"
      load={getPersonVaccinations}
      backHref="/vaccination/doses"
      backLabel={t("vacc.doses.back")}
      notFoundTitle={t("vacc.person.notFound")}
      notFoundBody={t("vacc.person.notFoundBody")}
    >
      {(r, set) => <PersonBody record={r()} onChange={set} />}
    </RecordPage>
  );
}

function PersonBody(props: { record: PersonVaccinations; onChange: (r: PersonVaccinations) => void }) {
  const me = () => session.user()!;
  const location = useLocation<{ recorded?: string }>();
  const flash = createFlash(8000);
  const r = () => props.record;
  const p = () => r().person;
  const [reactionFor, setReactionFor] = createSignal<Dose | null>(null);
  const [printing, setPrinting] = createSignal(false);
  const [printError, setPrintError] = createSignal<unknown>(null);
  const [revoking, setRevoking] = createSignal(false);
  const recorded = () => location.state?.recorded ?? null;
  createEffect(() => ensureAreaNames(p().provinceCode, p().communeCode));
  if (recorded()) flash.show(t("vacc.person.recorded"));

  const reload = async () => {
    try {
      props.onChange(await getPersonVaccinations(p().id));
    } catch {
      // The page keeps what it shows; the next visit reloads.
    }
  };

  const print = async () => {
    setPrinting(true);
    setPrintError(null);
    try {
      const { blob, filename } = await printCertificate(p().id);
      const url = saveBlob(blob, filename ?? `chung-nhan-tiem-chung-${slug(p().fullName)}.pdf`);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setPrintError(localised(error));
    } finally {
      setPrinting(false);
    }
  };

  return (
    <>
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-person-name">{p().fullName}</h1>
          <p class="muted">
            {p().phone ?? "–"} · {t("vacc.person.birthYear", { year: p().birthYear ?? "–" })} · {areaLabel(p().provinceCode, p().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <Show when={canVaccinate(me().role) && r().nextDose}>
            <A href={`/vaccination/record?personId=${encodeURIComponent(p().id)}`} class="btn btn-small" data-testid="vacc-person-record-next">
              {t("vacc.person.recordNext")}
            </A>
          </Show>
          <Show when={canPrintCertificates(me(), p()) && r().doses.length > 0}>
            <button type="button" class="btn btn-small btn-primary" disabled={printing()} onClick={() => void print()} data-testid="vacc-person-print">
              {printing() ? t("vacc.person.printing") : t("vacc.person.print")}
            </button>
          </Show>
          <Show when={canRevokeCertificates(me().role) && withinArea(me(), p()) && r().doses.length > 0}>
            <button type="button" class="btn btn-small btn-danger-ghost" onClick={() => setRevoking(true)} data-testid="vacc-person-revoke">
              {t("vacc.person.revoke")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <ErrorBanner error={printError()} onDismiss={() => setPrintError(null)} testId="vacc-person-print-error" />

      <section class="card" aria-labelledby="vacc-person-doses-title">
        <h2 id="vacc-person-doses-title">{t("vacc.person.doses")}</h2>
        <Show when={r().doses.length > 0} fallback={<p class="muted" data-testid="vacc-person-no-doses">{t("vacc.person.noDoses")}</p>}>
          <div class="table-wrap">
            <table class="data-table cards-on-phone" data-testid="vacc-person-doses">
              <thead>
                <tr>
                  <th scope="col">{t("vacc.col.dose")}</th>
                  <th scope="col">{t("vacc.col.product")}</th>
                  <th scope="col">{t("vacc.col.lot")}</th>
                  <th scope="col">{t("vacc.col.givenOn")}</th>
                  <th scope="col">{t("vacc.col.site")}</th>
                  <th scope="col">{t("vacc.col.vaccinator")}</th>
                  <th scope="col" />
                </tr>
              </thead>
              <tbody>
                <For each={[...r().doses].sort((a, b) => a.doseNumber - b.doseNumber)}>
                  {(d) => (
                    <tr data-testid="vacc-person-dose" data-dose-id={d.id} data-dose-number={d.doseNumber} classList={{ "row-fresh": d.id === recorded() }}>
                      <td data-label={t("vacc.col.dose")} class="cell-title">
                        <strong>{doseLabel(d.doseNumber)}</strong>
                        <Show when={d.source === "import"}>
                          <span class="sub muted">{sourceLabel(d.source)}</span>
                        </Show>
                      </td>
                      <td data-label={t("vacc.col.product")} data-testid="vacc-person-dose-product">
                        {d.productCode} · {d.productName}
                      </td>
                      <td data-label={t("vacc.col.lot")} data-testid="vacc-person-dose-lot">
                        <code>{d.lotNumber}</code>
                      </td>
                      <td data-label={t("vacc.col.givenOn")} class="nowrap">
                        {formatDay(d.givenOn)}
                      </td>
                      <td data-label={t("vacc.col.site")}>{d.siteName}</td>
                      <td data-label={t("vacc.col.vaccinator")}>{d.vaccinator ?? <span class="muted">–</span>}</td>
                      <td class="row-actions">
                        <Show when={canVaccinate(me().role)}>
                          <button type="button" class="btn btn-small" onClick={() => setReactionFor(d)} data-testid="vacc-person-add-reaction">
                            {t("vacc.reaction.add")}
                          </button>
                        </Show>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </Show>
        <p class="vacc-next" data-testid="vacc-person-next">
          <Show when={r().nextDose} fallback={t("vacc.person.complete")}>
            {(n) => t("vacc.person.next", { n: n().doseNumber, day: n().earliestOn ? formatDay(n().earliestOn!) : t("vacc.person.now"), products: n().allowedProducts.join(", ") })}
          </Show>
        </p>
      </section>

      <section class="card" aria-labelledby="vacc-person-reactions-title">
        <h2 id="vacc-person-reactions-title">{t("vacc.person.reactions")}</h2>
        <Show when={r().adverseEvents.length > 0} fallback={<p class="muted" data-testid="vacc-person-no-reactions">{t("vacc.person.noReactions")}</p>}>
          <ul class="vacc-reaction-list">
            <For each={r().adverseEvents}>
              {(e) => (
                <li class="vacc-reaction-item" data-testid="vacc-person-reaction" data-severity={e.severity}>
                  <A href={`/vaccination/reactions/${encodeURIComponent(e.id)}`} class="venue-link">
                    {doseLabel(e.doseNumber)} · {e.symptoms.map(symptomLabel).join(", ")}
                  </A>
                  <span class="sub muted">
                    {formatDateTime(e.onsetAt)} · <span class={`vacc-badge vacc-severity-${e.severity}`}>{severityLabel(e.severity)}</span> · {reactionStatusLabel(e.status)}
                  </span>
                </li>
              )}
            </For>
          </ul>
        </Show>
      </section>

      <Show when={reactionFor()}>
        {(dose) => (
          <Dialog title={t("vacc.reaction.addTitle", { dose: doseLabel(dose().doseNumber), product: dose().productCode })} onClose={() => setReactionFor(null)} testId="vacc-reaction-dialog">
            <ReactionForm
              dose={dose()}
              onCancel={() => setReactionFor(null)}
              onSaved={() => {
                setReactionFor(null);
                flash.show(t("vacc.reaction.saved"));
                void reload();
              }}
            />
          </Dialog>
        )}
      </Show>
      <Show when={revoking()}>
        <Dialog title={t("vacc.person.revoke")} onClose={() => setRevoking(false)} testId="vacc-revoke-dialog">
          <RevokeForm
            personId={p().id}
            onCancel={() => setRevoking(false)}
            onDone={() => {
              setRevoking(false);
              flash.show(t("vacc.person.revoked"));
            }}
          />
        </Dialog>
      </Show>
    </>
  );
}

/** Every card issued to the person so far stops verifying; the reason is kept with the revocation. */
function RevokeForm(props: { personId: string; onCancel: () => void; onDone: () => void }) {
  const [reason, setReason] = createSignal("");
  const [missing, setMissing] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!reason().trim()) {
      setMissing(true);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await revokeCertificates(props.personId, reason().trim());
      props.onDone();
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="form" onSubmit={submit} noValidate data-testid="vacc-revoke-form">
      <p class="small">{t("vacc.person.revokeLead")}</p>
      <ErrorBanner error={failure()} testId="vacc-revoke-error" />
      <Field id="vacc-revoke-reason" label={t("vacc.person.revokeReason")} error={missing() ? t("common.required") : undefined} required>
        <textarea
          id="vacc-revoke-reason"
          rows="3"
          maxLength={500}
          value={reason()}
          onInput={(e) => {
            setReason(e.currentTarget.value);
            setMissing(false);
          }}
          aria-invalid={missing() ? "true" : undefined}
          data-testid="vacc-revoke-reason"
        />
      </Field>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-danger" disabled={busy()} data-testid="vacc-revoke-submit">
          {t("vacc.person.revokeSubmit")}
        </button>
      </div>
    </form>
  );
}
