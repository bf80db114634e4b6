/**
 * Samples of the caller's area, sites or lab: filters for the status (derived: pooled, in the
 * lab, negative, waiting for a retest…), the day, the site, the campaign, and a barcode or a
 * name; the status as a badge. The address keeps the filters (?campaign=&site=&status=&day=&q=).
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { isDay } from "../declarations/format";
import TestingNav from "./TestingNav";
import { SAMPLE_STATUS_LIST, getCampaign, listMyTestSites, type SampleStatus } from "./testing.api";
import { createSampleList, formatVnDateTime, sameFilters, sampleStatusLabel, statusClass, testTypeLabel } from "./testing.data";
import "./testing.css";

type Params = { campaign?: string; site?: string; status?: string; day?: string; q?: string };

export default function SamplesPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const status = (): SampleStatus | "" => ((SAMPLE_STATUS_LIST as readonly string[]).includes(params.status ?? "") ? (params.status as SampleStatus) : "");
  const day = () => (isDay(params.day) ? params.day! : "");
  const [q, setQ] = createSignal(params.q ?? "");
  const query = createDebounced(q, 300);
  const filters = createMemo(
    () => ({ campaignId: params.campaign ?? "", siteId: params.site ?? "", status: status(), day: day(), q: query().trim() }),
    undefined,
    { equals: sameFilters },
  );
  const list = createSampleList(filters);
  const [sites] = createResource(
    () => me().role === "site_staff",
    () => listMyTestSites().then((r) => r.items),
  );
  const [campaign] = createResource(
    () => params.campaign,
    (id) => getCampaign(id).catch(() => null),
  );
  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const active = () => !!(params.campaign || params.site || status() || day() || q());
  const clear = () => {
    setQ("");
    set({ campaign: undefined, site: undefined, status: undefined, day: undefined, q: undefined });
  };

  return (
    <section class="page" data-testid="test-samples-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-samples-title">{t("test.samples.title")}</h1>
          <p class="muted">
            <Show when={campaign()} fallback={t("test.samples.lead")}>
              {(c) => t("test.samples.ofCampaign", { name: c().name })}
            </Show>
          </p>
        </div>
      </header>
      <FilterBar testId="test-samples" active={active()} onClear={clear}>
        <FilterField id="test-samples-q" label={t("common.search")} grow hideLabel>
          <input
            id="test-samples-q"
            type="search"
            class="search-input"
            placeholder={t("test.samples.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="test-samples-search"
          />
        </FilterField>
        <FilterField id="test-samples-status" label={t("test.col.status")}>
          <select id="test-samples-status" value={status()} onChange={(e) => set({ status: e.currentTarget.value || undefined })} data-testid="test-samples-status">
            <option value="">{t("common.all")}</option>
            <For each={SAMPLE_STATUS_LIST}>{(s) => <option value={s}>{sampleStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
        <FilterField id="test-samples-day" label={t("test.samples.day")}>
          <input id="test-samples-day" type="date" value={day()} onChange={(e) => set({ day: e.currentTarget.value || undefined })} data-testid="test-samples-day" />
        </FilterField>
        <Show when={(sites()?.length ?? 0) > 1}>
          <FilterField id="test-samples-site" label={t("test.col.site")}>
            <select id="test-samples-site" value={params.site ?? ""} onChange={(e) => set({ site: e.currentTarget.value || undefined })} data-testid="test-samples-site">
              <option value="">{t("common.all")}</option>
              <For each={sites() ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
            </select>
          </FilterField>
        </Show>
      </FilterBar>
      <ListTable
        list={list}
        testId="test-samples"
        columns={[
          { label: t("test.col.sample") },
          { label: t("test.col.person") },
          { label: t("test.col.site") },
          { label: t("test.col.takenAt") },
          { label: t("test.col.status") },
        ]}
        emptyText={t("test.samples.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(x) => (
          <tr data-testid="test-sample-row" data-sample-id={x.id} data-barcode={x.barcode} data-status={x.status} data-person-id={x.personId}>
            <td data-label={t("test.col.sample")} class="cell-title">
              <A href={`/testing/samples/${encodeURIComponent(x.id)}`} class="venue-link" data-testid="test-sample-open">
                <code>{x.barcode}</code>
              </A>
              <span class="sub muted">
                {testTypeLabel(x.testType)}
                <Show when={x.poolCode}> · {t("test.pool.short", { code: x.poolCode! })}</Show>
                <Show when={x.retestOf}> · {t("test.sample.isRetest")}</Show>
              </span>
            </td>
            <td data-label={t("test.col.person")}>
              {x.fullName}
            </td>
            <td data-label={t("test.col.site")}>{x.siteName}</td>
            <td data-label={t("test.col.takenAt")} class="nowrap">
              {formatVnDateTime(x.takenAt)}
            </td>
            <td data-label={t("test.col.status")}>
              <span class={statusClass(x.status)} data-testid="test-sample-status">
                {sampleStatusLabel(x.status)}
              </span>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
