/**
 * Testing campaigns of the caller's area: search by name, commune and status filters, keyset
 * "load more"; commune, province and national officers open one here.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { canManageTesting } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import AreaFilter from "../../components/AreaFilter";
import Dialog from "../../components/Dialog";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { formatDay } from "../venues.data";
import CampaignForm from "./CampaignForm";
import TestingNav from "./TestingNav";
import { CAMPAIGN_STATUS_LIST, type CampaignStatus } from "./testing.api";
import { campaignStatusLabel, createCampaignList, formatCount, sameFilters, testTypeLabel } from "./testing.data";
import "./testing.css";

export default function CampaignsPage() {
  const me = () => session.user()!;
  const navigate = useNavigate();
  const [q, setQ] = createSignal("");
  const [area, setArea] = createSignal({ provinceCode: "", communeCode: "" });
  const [status, setStatus] = createSignal<CampaignStatus | "">("");
  const [creating, setCreating] = createSignal(false);
  const query = createDebounced(q, 300);
  const filters = createMemo(() => ({ q: query().trim(), communeCode: area().communeCode, status: status() }), undefined, { equals: sameFilters });
  const list = createCampaignList(filters);
  createEffect(() => list.items().forEach((c) => ensureAreaNames(c.provinceCode, c.communeCode)));
  const active = () => !!(q() || area().provinceCode || area().communeCode || status());
  const clear = () => {
    setQ("");
    setArea({ provinceCode: "", communeCode: "" });
    setStatus("");
  };

  return (
    <section class="page" data-testid="test-campaigns-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-campaigns-title">{t("test.campaigns.title")}</h1>
          <p class="muted">{t("test.campaigns.lead")}</p>
        </div>
        <Show when={canManageTesting(me().role)}>
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)} data-testid="test-campaign-new">
            {t("test.campaigns.new")}
          </button>
        </Show>
      </header>

      <FilterBar testId="test-campaigns" active={active()} onClear={clear}>
        <FilterField id="test-campaigns-q" label={t("common.search")} grow hideLabel>
          <input
            id="test-campaigns-q"
            type="search"
            class="search-input"
            placeholder={t("test.campaigns.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="test-campaigns-search"
          />
        </FilterField>
        <AreaFilter me={me()} idPrefix="test-campaigns" provinceCode={area().provinceCode} communeCode={area().communeCode} onChange={setArea} />
        <FilterField id="test-campaigns-status" label={t("test.campaign.status")}>
          <select id="test-campaigns-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as CampaignStatus | "")} data-testid="test-campaigns-status">
            <option value="">{t("common.all")}</option>
            <For each={CAMPAIGN_STATUS_LIST}>{(s) => <option value={s}>{campaignStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
      </FilterBar>

      <ListTable
        list={list}
        testId="test-campaigns"
        columns={[
          { label: t("test.campaign.name") },
          { label: t("test.col.area") },
          { label: t("test.campaign.days") },
          { label: t("test.campaign.poolSize"), class: "num" },
          { label: t("test.campaign.status") },
        ]}
        emptyText={t("test.campaigns.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(c) => (
          <tr data-testid="test-campaign-row" data-campaign-id={c.id} data-campaign-name={c.name}>
            <td data-label={t("test.campaign.name")} class="cell-title">
              <A href={`/testing/campaigns/${encodeURIComponent(c.id)}`} class="venue-link" data-testid="test-campaign-open">
                {c.name}
              </A>
              <span class="sub muted">{testTypeLabel(c.testType)}</span>
            </td>
            <td data-label={t("test.col.area")}>{areaLabel(c.provinceCode, c.communeCode)}</td>
            <td data-label={t("test.campaign.days")} class="nowrap">
              {formatDay(c.startsOn)} – {formatDay(c.endsOn)}
            </td>
            <td data-label={t("test.campaign.poolSize")} class="num">
              {formatCount(c.poolSize)}
            </td>
            <td data-label={t("test.campaign.status")}>
              <span class={`test-badge test-campaign-${c.status}`}>{campaignStatusLabel(c.status)}</span>
            </td>
          </tr>
        )}
      </ListTable>

      <Show when={creating()}>
        <Dialog title={t("test.campaigns.new")} onClose={() => setCreating(false)} testId="test-campaign-dialog">
          <CampaignForm me={me()} onCancel={() => setCreating(false)} onSaved={(c) => navigate(`/testing/campaigns/${encodeURIComponent(c.id)}`)} />
        </Dialog>
      </Show>
    </section>
  );
}
