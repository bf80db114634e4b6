/**
 * Reactions after a dose (adverse events) in the caller's area (site staff: their sites), newest
 * first, with status, severity and commune filters. Each opens its follow-up page.
 */
import { A } from "@solidjs/router";
import { For, createEffect, createMemo, createSignal } from "solid-js";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import AreaFilter from "../../components/AreaFilter";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { formatDateTime, t } from "../../i18n";
import { session } from "../../session";
import { formatDay } from "../venues.data";
import VaccinationNav from "./VaccinationNav";
import { REACTION_STATUSES, SEVERITIES, type ReactionStatus, type Severity } from "./vaccination.api";
import { createReactionList, doseLabel, reactionStatusLabel, sameFilters, severityLabel, symptomLabel } from "./vaccination.data";
import "./vaccination.css";

export default function ReactionsPage() {
  const me = () => session.user()!;
  const [status, setStatus] = createSignal<ReactionStatus | "">("");
  const [severity, setSeverity] = createSignal<Severity | "">("");
  const [area, setArea] = createSignal({ provinceCode: "", communeCode: "" });
  const filters = createMemo(() => ({ status: status(), severity: severity(), communeCode: area().communeCode }), undefined, { equals: sameFilters });
  const list = createReactionList(filters);
  createEffect(() => list.items().forEach((e) => ensureAreaNames(e.provinceCode, e.communeCode)));
  const active = () => !!(status() || severity() || area().provinceCode || area().communeCode);
  const clear = () => {
    setStatus("");
    setSeverity("");
    setArea({ provinceCode: "", communeCode: "" });
  };

  return (
    <section class="page" data-testid="vacc-reactions-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-reactions-title">{t("vacc.reactions.title")}</h1>
          <p class="muted">{t("vacc.reactions.lead")}</p>
        </div>
      </header>
      <FilterBar testId="vacc-reactions" active={active()} onClear={clear}>
        <FilterField id="vacc-reactions-status" label={t("vacc.reaction.status")}>
          <select id="vacc-reactions-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as ReactionStatus | "")} data-testid="vacc-reactions-status">
            <option value="">{t("common.all")}</option>
            <For each={REACTION_STATUSES}>{(s) => <option value={s}>{reactionStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
        <FilterField id="vacc-reactions-severity" label={t("vacc.reaction.severity")}>
          <select id="vacc-reactions-severity" value={severity()} onChange={(e) => setSeverity(e.currentTarget.value as Severity | "")} data-testid="vacc-reactions-severity">
            <option value="">{t("common.all")}</option>
            <For each={SEVERITIES}>{(s) => <option value={s}>{severityLabel(s)}</option>}</For>
          </select>
        </FilterField>
        <AreaFilter me={me()} idPrefix="vacc-reactions" provinceCode={area().provinceCode} communeCode={area().communeCode} onChange={setArea} />
      </FilterBar>
      <ListTable
        list={list}
        testId="vacc-reactions"
        columns={[
          { label: t("vacc.col.person") },
          { label: t("vacc.col.dose") },
          { label: t("vacc.reaction.onsetAt") },
          { label: t("vacc.reaction.severity") },
          { label: t("vacc.reaction.status") },
        ]}
        emptyText={t("vacc.reactions.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(e) => (
          <tr data-testid="vacc-reaction-row" data-reaction-id={e.id} data-severity={e.severity} data-status={e.status}>
            <td data-label={t("vacc.col.person")} class="cell-title">
              <A href={`/vaccination/reactions/${encodeURIComponent(e.id)}`} class="venue-link" data-testid="vacc-reaction-open">
                {e.personName}
              </A>
              <span class="sub muted">{e.symptoms.map(symptomLabel).join(", ")}</span>
            </td>
            <td data-label={t("vacc.col.dose")}>
              {doseLabel(e.doseNumber)} · {e.productCode}
              <span class="sub muted">
                {formatDay(e.givenOn)} · {e.siteName}
              </span>
            </td>
            <td data-label={t("vacc.reaction.onsetAt")} class="nowrap">
              {formatDateTime(e.onsetAt)}
              <span class="sub muted">{areaLabel(e.provinceCode, e.communeCode)}</span>
            </td>
            <td data-label={t("vacc.reaction.severity")}>
              <span class={`vacc-badge vacc-severity-${e.severity}`}>{severityLabel(e.severity)}</span>
              {e.hospitalised ? <span class="sub muted">{t("vacc.reaction.hospitalisedShort")}</span> : null}
            </td>
            <td data-label={t("vacc.reaction.status")}>
              <span class={`vacc-badge vacc-reaction-${e.status}`}>{reactionStatusLabel(e.status)}</span>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
