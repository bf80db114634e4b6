/**
 * One close contact: the facts, the exposures that made them a contact (the evidence), the daily
 * follow-ups, the form for today's call, the status / quarantine / commune team changes, and
 * "Confirm positive", which registers them as a new case and opens it.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createSignal } from "solid-js";
import { canEditTracing } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Flash, { createFlash } from "../../components/Flash";
import { t } from "../../i18n";
import { session } from "../../session";
import { ContactStatusBadge, DegreeBadge } from "./Badges";
import ConfirmPositiveDialog from "./ConfirmPositiveDialog";
import ContactManageForm from "./ContactManageForm";
import FollowUpForm from "./FollowUpForm";
import { getContact, type ContactDetail, type FollowUp } from "./tracing.api";
import { formatMinutes, formatRange, formatVnDateTime, formatVnDay, sourceLabel, symptomLabel } from "./tracing.data";
import "./tracing.css";
import RecordPage from "../../components/RecordPage";

export default function ContactDetailPage() {
  return (
    <RecordPage<ContactDetail>
      name="contact"
      load={getContact}
      backHref="/contacts"
      backLabel={t("tracing.contact.back")}
      notFoundTitle={t("tracing.contact.notFound")}
      notFoundBody={t("tracing.contact.notFoundBody")}
    >
      {(r, set) => <ContactBody contact={r()} onContact={set} />}
    </RecordPage>
  );
}

function ContactBody(props: { contact: ContactDetail; onContact: (c: ContactDetail) => void }) {
  const me = () => session.user()!;
  const c = () => props.contact;
  const writer = () => canEditTracing(me().role);
  const open = () => c().status !== "became_f0";
  const flash = createFlash(6000);
  const [confirming, setConfirming] = createSignal(false);

  createEffect(() => ensureAreaNames(c().provinceCode, c().communeCode));

  const onFollowUp = (f: FollowUp) => {
    const others = c().followUps.filter((x) => x.day !== f.day);
    props.onContact({ ...c(), followUps: [f, ...others].sort((a, b) => b.day.localeCompare(a.day)), lastFollowUp: f.day > (c().lastFollowUp ?? "") ? f.day : c().lastFollowUp });
    flash.show(t("tracing.followUp.saved", { day: formatVnDay(f.day) }));
  };

  return (
    <>
      <header class="page-head">
        <div>
          <h1 data-testid="contact-name">
            <DegreeBadge degree={c().degree} /> {c().person.fullName}
          </h1>
          <p class="muted">
            <Show when={c().person.phone} fallback="–">
              <a href={`tel:${c().person.phone}`}>{c().person.phone}</a>
            </Show>
            <Show when={c().person.birthYear}> · {c().person.birthYear}</Show> · {areaLabel(c().provinceCode, c().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <ContactStatusBadge status={c().status} testId="contact-page-status" />
          <Show when={writer() && open()}>
            <button type="button" class="btn btn-danger" onClick={() => setConfirming(true)} data-testid="contact-confirm-open">
              {t("tracing.confirm.open")}
            </button>
          </Show>
        </div>
      </header>
      <Flash message={flash.message()} />
      <Show when={confirming()}>
        <ConfirmPositiveDialog contact={c()} onClose={() => setConfirming(false)} />
      </Show>

      <div class="tracing-grid">
        <div class="tracing-main">
          <section class="card tracing-card" aria-labelledby="contact-exposures-title" data-testid="contact-exposures">
            <h2 id="contact-exposures-title">{t("tracing.contact.exposures")}</h2>
            <Show when={c().exposures.length > 0} fallback={<p class="muted">{t("tracing.contact.noExposures", { source: sourceLabel(c().source) })}</p>}>
              <div class="table-wrap">
                <table class="data-table cards-on-phone">
                  <thead>
                    <tr>
                      <th scope="col">{t("tracing.col.venue")}</th>
                      <th scope="col">{t("tracing.col.overlap")}</th>
                      <th scope="col" class="num">
                        {t("tracing.col.minutes")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={c().exposures}>
                      {(x) => (
                        <tr data-testid="exposure-row">
                          <td data-label={t("tracing.col.venue")} class="cell-title">
                            {x.venueName}
                          </td>
                          <td data-label={t("tracing.col.overlap")} class="nowrap">
                            {formatRange(x.overlapStart, x.overlapEnd)}
                          </td>
                          <td data-label={t("tracing.col.minutes")} class="num">
                            {formatMinutes(x.minutes)}
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          </section>

          <section class="card tracing-card" aria-labelledby="contact-followups-title" data-testid="contact-follow-ups">
            <h2 id="contact-followups-title">{t("tracing.contact.followUps")}</h2>
            <Show when={writer() && open()}>
              <div class="card-block">
                <FollowUpForm contactId={c().id} existing={c().followUps} onSaved={onFollowUp} />
              </div>
            </Show>
            <div class="card-block">
              <Show when={c().followUps.length > 0} fallback={<p class="muted" data-testid="follow-ups-empty">{t("tracing.contact.noFollowUps")}</p>}>
                <div class="table-wrap">
                  <table class="data-table cards-on-phone" data-testid="follow-ups-table">
                    <thead>
                      <tr>
                        <th scope="col">{t("tracing.followUp.day")}</th>
                        <th scope="col">{t("tracing.followUp.reached")}</th>
                        <th scope="col" class="num">
                          {t("tracing.followUp.temperature")}
                        </th>
                        <th scope="col">{t("tracing.followUp.symptoms")}</th>
                        <th scope="col">{t("tracing.followUp.note")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={c().followUps}>
                        {(f) => (
                          <tr data-testid="follow-up-row" data-day={f.day}>
                            <td data-label={t("tracing.followUp.day")} class="cell-title nowrap">
                              {formatVnDay(f.day)}
                            </td>
                            <td data-label={t("tracing.followUp.reached")}>{f.reached ? t("tracing.followUp.yes") : t("tracing.followUp.no")}</td>
                            <td data-label={t("tracing.followUp.temperature")} class="num">
                              {f.temperature != null ? `${f.temperature} °C` : "–"}
                            </td>
                            <td data-label={t("tracing.followUp.symptoms")}>
                              <Show when={f.symptoms.length > 0} fallback={<span class="muted">{t("tracing.followUp.none")}</span>}>
                                <span class="symptom-list">
                                  <For each={f.symptoms}>{(s) => <span class="badge contact-status-identified">{symptomLabel(s)}</span>}</For>
                                </span>
                              </Show>
                            </td>
                            <td data-label={t("tracing.followUp.note")}>{f.note ?? ""}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </div>
          </section>
        </div>

        <div class="tracing-side">
          <section class="card" aria-labelledby="contact-facts-title" data-testid="contact-facts">
            <h2 id="contact-facts-title">{t("tracing.contact.facts")}</h2>
            <dl class="facts">
              <div>
                <dt>{t("tracing.contact.case")}</dt>
                <dd>
                  <A href={`/cases/${encodeURIComponent(c().caseId)}`} data-testid="contact-case-link">
                    {t("tracing.contact.openCase")}
                  </A>
                </dd>
              </div>
              <div>
                <dt>{t("tracing.col.degree")}</dt>
                <dd>
                  F{c().degree} · {sourceLabel(c().source)}
                </dd>
              </div>
              <Show when={c().venue}>
                {(v) => (
                  <div>
                    <dt>{t("tracing.col.venue")}</dt>
                    <dd>{v().name}</dd>
                  </div>
                )}
              </Show>
              <div>
                <dt>{t("tracing.contact.exposure")}</dt>
                <dd>{formatRange(c().firstExposureAt, c().lastExposureAt)}</dd>
              </div>
              <div>
                <dt>{t("tracing.col.minutes")}</dt>
                <dd>{formatMinutes(c().minutesTogether)}</dd>
              </div>
              <div>
                <dt>{t("tracing.col.quarantine")}</dt>
                <dd data-testid="contact-quarantine-until">{formatVnDay(c().quarantineUntil)}</dd>
              </div>
              <div>
                <dt>{t("tracing.contact.notifiedAt")}</dt>
                <dd>{c().notifiedAt ? formatVnDateTime(c().notifiedAt) : <span class="muted">{t("tracing.contact.notNotified")}</span>}</dd>
              </div>
              <div>
                <dt>{t("tracing.contact.team")}</dt>
                <dd>{areaLabel(c().provinceCode, c().communeCode)}</dd>
              </div>
              <Show when={c().notes}>
                <div>
                  <dt>{t("tracing.case.notes")}</dt>
                  <dd style={{ "white-space": "pre-line" }}>{c().notes}</dd>
                </div>
              </Show>
            </dl>
          </section>
          <Show when={writer() && open()}>
            <section class="card" aria-labelledby="contact-manage-title" data-testid="contact-manage">
              <h2 id="contact-manage-title">{t("tracing.contact.manage")}</h2>
              <ContactManageForm
                contact={c()}
                onSaved={(updated) => {
                  props.onContact({ ...c(), ...updated });
                  flash.show(t("tracing.contact.saved"));
                }}
              />
            </section>
          </Show>
        </div>
      </div>
    </>
  );
}
