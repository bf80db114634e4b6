/**
 * One reaction after a dose: the dose and the person, what happened, the follow-up notes as a
 * timeline, and for those who follow reactions up, the status, severity and outcome, and a note.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createSignal } from "solid-js";
import { canFollowUpReactions } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import ErrorBanner from "../../components/ErrorBanner";
import Field from "../../components/Field";
import Flash, { createFlash } from "../../components/Flash";
import RecordPage, { Fact } from "../../components/RecordPage";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import { formatDay } from "../venues.data";
import { Select, Submit } from "./form";
import VaccinationNav from "./VaccinationNav";
import { REACTION_STATUSES, SEVERITIES, addReactionNote, getReaction, updateReaction, type AdverseEventDetail, type ReactionStatus, type Severity } from "./vaccination.api";
import { doseLabel, localised, reactionStatusLabel, severityLabel, symptomLabel } from "./vaccination.data";
import "./vaccination.css";

export default function ReactionDetailPage() {
  return (
    <RecordPage<AdverseEventDetail>
      name="vacc-reaction"
      load={getReaction}
      backHref="/vaccination/reactions"
      backLabel={t("vacc.reactions.back")}
      notFoundTitle={t("vacc.reaction.notFound")}
      notFoundBody={t("vacc.reaction.notFoundBody")}
    >
      {(r, set) => <ReactionBody event={r()} onChange={set} />}
    </RecordPage>
  );
}

function ReactionBody(props: { event: AdverseEventDetail; onChange: (e: AdverseEventDetail) => void }) {
  const me = () => session.user()!;
  const e = () => props.event;
  const flash = createFlash();
  createEffect(() => ensureAreaNames(e().person.provinceCode, e().person.communeCode));
  const notes = () => [...e().notes].sort((a, b) => a.createdAt.localeCompare(b.createdAt));

  return (
    <>
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-reaction-title">{t("vacc.reaction.title", { name: e().person.fullName })}</h1>
          <p class="muted">
            {doseLabel(e().dose.doseNumber)} · {e().dose.productCode} · {formatDay(e().dose.givenOn)} · {e().dose.siteName}
          </p>
        </div>
        <div class="head-actions">
          <span class={`vacc-badge vacc-severity-${e().severity}`} data-testid="vacc-reaction-severity">
            {severityLabel(e().severity)}
          </span>
          <span class={`vacc-badge vacc-reaction-${e().status}`} data-testid="vacc-reaction-status">
            {reactionStatusLabel(e().status)}
          </span>
        </div>
      </header>
      <Flash message={flash.message()} />
      <div class="vacc-detail-grid">
        <div class="vacc-detail-main">
          <section class="card" aria-labelledby="vacc-reaction-facts-title">
            <h2 id="vacc-reaction-facts-title">{t("vacc.reaction.facts")}</h2>
            <dl class="facts">
              <Fact label={t("vacc.col.person")}>
                <A href={`/vaccination/people/${encodeURIComponent(e().person.id)}`} class="venue-link" data-testid="vacc-reaction-person">
                  {e().person.fullName}
                </A>{" "}
                <span class="muted">
                  {e().person.phone ?? "–"} · {e().person.birthYear ?? "–"} · {areaLabel(e().person.provinceCode, e().person.communeCode)}
                </span>
              </Fact>
              <Fact label={t("vacc.col.lot")}>
                <code>{e().dose.lotNumber}</code> ({e().dose.productName})
              </Fact>
              <Fact label={t("vacc.reaction.onsetAt")}>{formatDateTime(e().onsetAt)}</Fact>
              <Fact label={t("vacc.reaction.symptoms")} testId="vacc-reaction-symptoms-shown">
                {e().symptoms.map(symptomLabel).join(", ")}
              </Fact>
              <Fact label={t("vacc.reaction.hospitalised")}>{e().hospitalised ? t("vacc.yes") : t("vacc.no")}</Fact>
              <Show when={e().description}>
                <Fact label={t("vacc.reaction.description")}>{e().description}</Fact>
              </Show>
              <Fact label={t("vacc.reaction.outcome")} testId="vacc-reaction-outcome">
                {e().outcome ?? <span class="muted">–</span>}
              </Fact>
              <Fact label={t("vacc.reaction.reportedBy")}>{e().reportedByCitizen ? t("vacc.reaction.byCitizen") : t("vacc.reaction.byStaff")}</Fact>
            </dl>
          </section>
          <section class="card" aria-labelledby="vacc-reaction-notes-title" data-testid="vacc-reaction-notes">
            <h2 id="vacc-reaction-notes-title">{t("vacc.reaction.notes")}</h2>
            <Show when={notes().length > 0} fallback={<p class="muted small">{t("vacc.reaction.noNotes")}</p>}>
              <ol class="vacc-timeline">
                <For each={notes()}>
                  {(n) => (
                    <li data-testid="vacc-reaction-note">
                      <div class="vacc-timeline-head">
                        <strong>{n.authorName ?? "–"}</strong>
                        <span class="muted small">{formatDateTime(n.createdAt)}</span>
                      </div>
                      <p>{n.note}</p>
                    </li>
                  )}
                </For>
              </ol>
            </Show>
          </section>
        </div>
        <Show when={canFollowUpReactions(me().role)}>
          <div class="vacc-detail-side">
            <FollowUpForm
              event={e()}
              onSaved={(saved) => {
                props.onChange(saved);
                flash.show(t("vacc.reaction.updated"));
              }}
            />
            <NoteForm
              eventId={e().id}
              onSaved={(saved) => {
                props.onChange(saved);
                flash.show(t("vacc.reaction.noteSaved"));
              }}
            />
          </div>
        </Show>
      </div>
    </>
  );
}

function FollowUpForm(props: { event: AdverseEventDetail; onSaved: (e: AdverseEventDetail) => void }) {
  const [status, setStatus] = createSignal<ReactionStatus>(props.event.status);
  const [severity, setSeverity] = createSignal<Severity>(props.event.severity);
  const [outcome, setOutcome] = createSignal(props.event.outcome ?? "");
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const changed = () => status() !== props.event.status || severity() !== props.event.severity || outcome().trim() !== (props.event.outcome ?? "");

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!changed()) return;
    setSaving(true);
    setFailure(null);
    try {
      const saved = await updateReaction(props.event.id, {
        ...(status() !== props.event.status ? { status: status() } : {}),
        ...(severity() !== props.event.severity ? { severity: severity() } : {}),
        ...(outcome().trim() !== (props.event.outcome ?? "") ? { outcome: outcome().trim() || null } : {}),
      });
      props.onSaved(saved);
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card" aria-labelledby="vacc-followup-title">
      <h2 id="vacc-followup-title">{t("vacc.reaction.followUp")}</h2>
      <form class="form" onSubmit={submit} noValidate data-testid="vacc-followup-form">
        <ErrorBanner error={failure()} testId="vacc-followup-error" />
        <Select
          id="vacc-followup-status"
          label={t("vacc.reaction.status")}
          value={status()}
          choices={REACTION_STATUSES.map((s) => ({ value: s, label: reactionStatusLabel(s) }))}
          onInput={(v) => setStatus(v as ReactionStatus)}
        />
        <Select
          id="vacc-followup-severity"
          label={t("vacc.reaction.severity")}
          value={severity()}
          choices={SEVERITIES.map((s) => ({ value: s, label: severityLabel(s) }))}
          onInput={(v) => setSeverity(v as Severity)}
        />
        <Field id="vacc-followup-outcome" label={t("vacc.reaction.outcome")}>
          <textarea id="vacc-followup-outcome" rows="2" maxLength={2000} value={outcome()} onInput={(e) => setOutcome(e.currentTarget.value)} data-testid="vacc-followup-outcome" />
        </Field>
        <div class="form-actions">
          <Submit busy={saving()} label={t("common.save")} busyLabel={t("common.saving")} testId="vacc-followup-submit" />
        </div>
      </form>
    </section>
  );
}

function NoteForm(props: { eventId: string; onSaved: (e: AdverseEventDetail) => void }) {
  const [note, setNote] = createSignal("");
  const [missing, setMissing] = createSignal(false);
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!note().trim()) {
      setMissing(true);
      return;
    }
    setSaving(true);
    setFailure(null);
    try {
      props.onSaved(await addReactionNote(props.eventId, note().trim()));
      setNote("");
    } catch (error) {
      setFailure(localised(error));
    } finally {
      setSaving(false);
    }
  };
  return (
    <section class="card" aria-labelledby="vacc-note-title">
      <h2 id="vacc-note-title">{t("vacc.reaction.addNote")}</h2>
      <form class="form" onSubmit={submit} noValidate data-testid="vacc-note-form">
        <ErrorBanner error={failure()} testId="vacc-note-error" />
        <Field id="vacc-note-text" label={t("vacc.reaction.note")} error={missing() ? t("common.required") : undefined} required>
          <textarea
            id="vacc-note-text"
            rows="3"
            maxLength={2000}
            value={note()}
            onInput={(e) => {
              setNote(e.currentTarget.value);
              setMissing(false);
            }}
            aria-invalid={missing() ? "true" : undefined}
            data-testid="vacc-note-text"
          />
        </Field>
        <div class="form-actions">
          <Submit busy={saving()} label={t("vacc.reaction.addNote")} busyLabel={t("common.saving")} testId="vacc-note-submit" />
        </div>
      </form>
    </section>
  );
}
