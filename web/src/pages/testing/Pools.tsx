/**
 * Pools: site staff see their sites' pools, lab staff the pools sealed to their lab, officers
 * those of their area. Filters for the status, the lab and a code; each shows its size, lab and
 * result. The address keeps the filters (?status=&lab=&site=&campaign=&q=).
 */
import { A, useSearchParams } from "@solidjs/router";
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import TestingNav from "./TestingNav";
import { POOL_STATUS_LIST, listLabs, type PoolStatus } from "./testing.api";
import { createPoolList, formatVnDateTime, normaliseCode, poolStatusLabel, resultClass, resultLabel, sameFilters } from "./testing.data";
import "./testing.css";

type Params = { status?: string; lab?: string; site?: string; campaign?: string; q?: string };

export default function PoolsPage() {
  const me = () => session.user()!;
  const [params, setParams] = useSearchParams<Params>();
  const status = (): PoolStatus | "" => ((POOL_STATUS_LIST as readonly string[]).includes(params.status ?? "") ? (params.status as PoolStatus) : "");
  const [q, setQ] = createSignal(params.q ?? "");
  const query = createDebounced(q, 300);
  const filters = createMemo(
    () => ({ status: status(), labId: params.lab ?? "", siteId: params.site ?? "", campaignId: params.campaign ?? "", q: normaliseCode(query()) }),
    undefined,
    { equals: sameFilters },
  );
  const list = createPoolList(filters);
  // Site staff do not choose labs here (their pools are their sites').
  const [labs] = createResource(
    () => me().role !== "site_staff",
    () => listLabs({ limit: 100 }).then((r) => r.items),
  );
  const set = (patch: Partial<Params>) => setParams(patch, { replace: true });
  const active = () => !!(status() || params.lab || params.site || params.campaign || q());
  const clear = () => {
    setQ("");
    set({ status: undefined, lab: undefined, site: undefined, campaign: undefined, q: undefined });
  };

  return (
    <section class="page" data-testid="test-pools-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-pools-title">{t("test.pools.title")}</h1>
          <p class="muted">{t("test.pools.lead")}</p>
        </div>
      </header>
      <FilterBar testId="test-pools" active={active()} onClear={clear}>
        <FilterField id="test-pools-q" label={t("common.search")} grow hideLabel>
          <input id="test-pools-q" type="search" class="search-input" placeholder={t("test.pools.search")} value={q()} onInput={(e) => setQ(e.currentTarget.value)} data-testid="test-pools-search" />
        </FilterField>
        <FilterField id="test-pools-status" label={t("test.col.status")}>
          <select id="test-pools-status" value={status()} onChange={(e) => set({ status: e.currentTarget.value || undefined })} data-testid="test-pools-status">
            <option value="">{t("common.all")}</option>
            <For each={POOL_STATUS_LIST}>{(s) => <option value={s}>{poolStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
        <Show when={(labs()?.length ?? 0) > 1}>
          <FilterField id="test-pools-lab" label={t("test.pool.lab")}>
            <select id="test-pools-lab" value={params.lab ?? ""} onChange={(e) => set({ lab: e.currentTarget.value || undefined })} data-testid="test-pools-lab">
              <option value="">{t("common.all")}</option>
              <For each={labs() ?? []}>{(l) => <option value={l.id}>{l.name}</option>}</For>
            </select>
          </FilterField>
        </Show>
      </FilterBar>
      <ListTable
        list={list}
        testId="test-pools"
        columns={[
          { label: t("test.pool.code") },
          { label: t("test.col.site") },
          { label: t("test.pool.samples"), class: "num" },
          { label: t("test.pool.lab") },
          { label: t("test.col.status") },
        ]}
        emptyText={t("test.pools.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(p) => (
          <tr data-testid="test-pool-row" data-pool-id={p.id} data-code={p.code} data-status={p.status} data-result={p.result ?? ""}>
            <td data-label={t("test.pool.code")} class="cell-title">
              <A href={`/testing/pools/${encodeURIComponent(p.id)}`} class="venue-link" data-testid="test-pool-open">
                <code>{p.code}</code>
              </A>
            </td>
            <td data-label={t("test.col.site")}>{p.siteName}</td>
            <td data-label={t("test.pool.samples")} class="num">
              {p.size}/{p.maxSize}
            </td>
            <td data-label={t("test.pool.lab")}>
              <div>
                {p.labName ?? "–"}
                <Show when={p.sealedAt}>
                  <span class="sub muted">{formatVnDateTime(p.sealedAt)}</span>
                </Show>
              </div>
            </td>
            <td data-label={t("test.col.status")}>
              <Show when={p.result} fallback={<span class={`test-badge test-pool-${p.status}`}>{poolStatusLabel(p.status)}</span>}>
                <span class={resultClass(p.result!)} data-testid="test-pool-result">
                  {resultLabel(p.result!)}
                </span>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
