/**
 * One health declaration in readable form: the risk and its reasons, the 14-day health answers,
 * the travel (domestic route, or the entry details, or the venue), the declarant, and the
 * review (contacted / closed with a note) for the officers who may change it.
 */
import { A } from "@solidjs/router";
import { For, Match, Show, Switch, createEffect, type JSX } from "solid-js";
import { canReviewDeclarations } from "../../access";
import { areaLabel, ensureAreaNames, unitName } from "../../adminUnits";
import Flash, { createFlash } from "../../components/Flash";
import { locale, t } from "../../i18n";
import { session } from "../../session";
import { ReviewBadge, RiskBadge } from "./Badges";
import { getDeclaration, type Declaration } from "./declarations.api";
import { countryName, kindLabel, meansLabel, reasonLabel, reviewLabel, sexLabel, symptomLabel } from "./declarations.data";
import { formatVnDateTime, formatVnDay } from "./format";
import ReviewForm from "./ReviewForm";
import "./declarations.css";
import RecordPage, { Fact } from "../../components/RecordPage";

export default function DeclarationDetailPage() {
  return (
    <RecordPage<Declaration>
      name="declaration"
      load={getDeclaration}
      backHref="/declarations"
      backLabel={t("decl.back")}
      notFoundTitle={t("decl.notFound")}
      notFoundBody={t("decl.notFoundBody")}
    >
      {(r, set) => <DeclarationBody declaration={r()} onChange={set} />}
    </RecordPage>
  );
}


function YesNo(props: { value: boolean; testId: string }) {
  return (
    <span class={props.value ? "decl-yes" : "muted"} data-testid={props.testId} data-value={String(props.value)}>
      {props.value ? t("decl.yes") : t("decl.no")}
    </span>
  );
}

const orNone = (value: string | null | undefined): JSX.Element => (value ? value : <span class="muted">{t("decl.none")}</span>);

function DeclarationBody(props: { declaration: Declaration; onChange: (d: Declaration) => void }) {
  const me = () => session.user()!;
  const d = () => props.declaration;
  const reviewer = () => canReviewDeclarations(me().role);
  const flash = createFlash(6000);
  const lang = () => locale();

  createEffect(() => ensureAreaNames(d().provinceCode, d().communeCode));

  return (
    <>
      <header class="page-head">
        <div>
          <h1 data-testid="decl-name">{d().fullName}</h1>
          <p class="muted">
            {kindLabel(d().kind)} · {formatVnDateTime(d().createdAt)} · {areaLabel(d().provinceCode, d().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <RiskBadge risk={d().risk} testId="decl-page-risk" />
          <ReviewBadge review={d().review} testId="decl-page-review" />
        </div>
      </header>
      <Flash message={flash.message()} />

      <div class="decl-grid">
        <div class="decl-main">
          <section class={`card decl-risk-card decl-risk-card-${d().risk}`} aria-labelledby="decl-risk-title" data-testid="decl-risk-card">
            <h2 id="decl-risk-title">{t("decl.riskTitle")}</h2>
            <p>
              <RiskBadge risk={d().risk} testId="decl-risk-level" />
            </p>
            <Show when={d().riskReasons.length > 0} fallback={<p class="muted">{t("decl.noReasons")}</p>}>
              <ul class="decl-reason-list" data-testid="decl-reason-list">
                <For each={d().riskReasons}>{(r) => <li data-reason={r}>{reasonLabel(r)}</li>}</For>
              </ul>
            </Show>
          </section>

          <section class="card" aria-labelledby="decl-health-title" data-testid="decl-health">
            <h2 id="decl-health-title">{t("decl.health")}</h2>
            <dl class="facts">
              <Fact label={t("decl.symptoms")} testId="decl-symptoms">
                <Show when={d().symptoms.length > 0} fallback={<span class="muted">{t("decl.noSymptoms")}</span>}>
                  <span class="decl-chips">
                    <For each={d().symptoms}>
                      {(s) => (
                        <span class="decl-chip" data-symptom={s}>
                          {symptomLabel(s)}
                        </span>
                      )}
                    </For>
                  </span>
                </Show>
              </Fact>
              <Fact label={t("decl.contactWithCase")}>
                <YesNo value={d().contactWithCase} testId="decl-contact-case" />
              </Fact>
              <Fact label={t("decl.fromOutbreakArea")}>
                <YesNo value={d().fromOutbreakArea} testId="decl-outbreak-area" />
              </Fact>
              <Fact label={t("decl.contactWithSymptomatic")}>
                <YesNo value={d().contactWithSymptomatic} testId="decl-contact-symptomatic" />
              </Fact>
              <Fact label={t("decl.placesVisited")} testId="decl-places">
                <span class="pre-line">{orNone(d().placesVisited)}</span>
              </Fact>
            </dl>
          </section>

          <section class="card" aria-labelledby="decl-travel-title" data-testid="decl-travel">
            <h2 id="decl-travel-title">
              {t("decl.travel")} · {kindLabel(d().kind)}
            </h2>
            <Switch fallback={<p class="muted">{t("decl.travel.none")}</p>}>
              <Match when={d().entry}>
                {(e) => (
                  <dl class="facts" data-testid="decl-entry">
                    <Fact label={t("decl.entry.departureCountry")}>
                      {countryName(e().departureCountry, lang())} ({e().departureCountry})
                    </Fact>
                    <Fact label={t("decl.entry.flight")} testId="decl-entry-flight">
                      {e().flightOrVehicle}
                    </Fact>
                    <Fact label={t("decl.entry.portOfEntry")}>{e().portOfEntry}</Fact>
                    <Fact label={t("decl.entry.entryDate")}>{formatVnDay(e().entryDate)}</Fact>
                    <Fact label={t("decl.entry.destination")}>{d().communeCode ? unitName(d().communeCode!) : "–"}</Fact>
                    <Fact label={t("decl.entry.passport")}>{d().idNumberSet ? t("decl.idNumberGiven") : <span class="muted">{t("decl.none")}</span>}</Fact>
                  </dl>
                )}
              </Match>
              <Match when={d().travel}>
                {(tr) => (
                  <dl class="facts" data-testid="decl-domestic">
                    <Fact label={t("decl.travel.means")}>{meansLabel(tr().means)}</Fact>
                    <Fact label={t("decl.travel.from")} testId="decl-travel-from">
                      {tr().from}
                    </Fact>
                    <Fact label={t("decl.travel.to")} testId="decl-travel-to">
                      {tr().to}
                    </Fact>
                    <Fact label={t("decl.travel.route")}>
                      <span class="pre-line">{orNone(tr().route)}</span>
                    </Fact>
                    <Show when={tr().date}>
                      <Fact label={t("decl.travel.departedOn")}>{formatVnDay(tr().date)}</Fact>
                    </Show>
                  </dl>
                )}
              </Match>
              <Match when={d().venue}>
                {(v) => (
                  <dl class="facts" data-testid="decl-venue">
                    <Fact label={t("decl.venue")}>
                      <A href={`/venues/${encodeURIComponent(v().id)}`}>{v().name}</A>
                    </Fact>
                  </dl>
                )}
              </Match>
            </Switch>
          </section>
        </div>

        <div class="decl-side">
          <section class="card" aria-labelledby="decl-person-title" data-testid="decl-person">
            <h2 id="decl-person-title">{t("decl.person")}</h2>
            <dl class="facts">
              <Fact label={t("decl.fullName")}>{d().fullName}</Fact>
              <Fact label={t("decl.birthYear")}>{d().birthYear}</Fact>
              <Fact label={t("decl.sex")}>{d().sex ? sexLabel(d().sex!) : <span class="muted">{t("decl.none")}</span>}</Fact>
              <Fact label={t("decl.nationality")}>
                {countryName(d().nationality, lang())} ({d().nationality})
              </Fact>
              <Show when={d().kind !== "entry"}>
                <Fact label={t("decl.idNumber")}>{d().idNumberSet ? t("decl.idNumberGiven") : <span class="muted">{t("decl.none")}</span>}</Fact>
              </Show>
              <Fact label={t("decl.phone")} testId="decl-phone">
                <Show when={d().phone} fallback={<span class="muted">{t("decl.none")}</span>}>
                  <a href={`tel:${d().phone}`}>{d().phone}</a>
                </Show>
              </Fact>
              <Fact label={t("decl.address")}>{orNone(d().address)}</Fact>
              <Fact label={t("decl.commune")}>{areaLabel(d().provinceCode, d().communeCode)}</Fact>
              <Fact label={t("decl.filedAt")}>{formatVnDateTime(d().createdAt)}</Fact>
              <Fact label={t("decl.filedBy")}>{d().filedBy ? t("decl.filedByAccount") : t("decl.filedByPublic")}</Fact>
            </dl>
          </section>

          <section class="card" aria-labelledby="decl-review-title" data-testid="decl-review-card">
            <h2 id="decl-review-title">{t("decl.reviewTitle")}</h2>
            <dl class="facts">
              <Fact label={t("decl.reviewStatus")} testId="decl-review-status">
                {reviewLabel(d().review)}
              </Fact>
              <Show when={d().reviewNote}>
                <Fact label={t("decl.reviewNote")} testId="decl-review-current-note">
                  <span class="pre-line">{d().reviewNote}</span>
                </Fact>
              </Show>
            </dl>
            <Show when={reviewer()}>
              {/* Keyed on the review so the form starts again from what was saved. */}
              <Show when={`${d().id}:${d().review}:${d().reviewNote ?? ""}`} keyed>
                <div class="decl-review-form-wrap">
                  <ReviewForm
                    declaration={d()}
                    onSaved={(saved) => {
                      props.onChange(saved);
                      flash.show(t("decl.reviewSaved", { review: reviewLabel(saved.review) }));
                    }}
                  />
                </div>
              </Show>
            </Show>
          </section>
        </div>
      </div>
    </>
  );
}
