/**
 * Vaccination sites of the caller's area (site staff: theirs): search by name, commune and
 * status filters, keyset "load more"; officers who manage sites create one here.
 */
import { A, useNavigate } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createSignal } from "solid-js";
import { canManageSites } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import AreaFilter from "../../components/AreaFilter";
import Dialog from "../../components/Dialog";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import SiteForm from "./SiteForm";
import VaccinationNav from "./VaccinationNav";
import { SITE_STATUSES, type SiteStatus } from "./vaccination.api";
import { createSiteList, formatCount, sameFilters, siteStatusLabel } from "./vaccination.data";
import "./vaccination.css";

export default function SitesPage() {
  const me = () => session.user()!;
  const navigate = useNavigate();
  const [q, setQ] = createSignal("");
  const [area, setArea] = createSignal({ provinceCode: "", communeCode: "" });
  const [status, setStatus] = createSignal<SiteStatus | "">("");
  const [creating, setCreating] = createSignal(false);
  const query = createDebounced(q, 300);
  const filters = createMemo(() => ({ q: query().trim(), communeCode: area().communeCode, status: status() }), undefined, { equals: sameFilters });
  const list = createSiteList(filters);
  createEffect(() => list.items().forEach((s) => ensureAreaNames(s.provinceCode, s.communeCode)));

  const active = () => !!(q() || area().provinceCode || area().communeCode || status());
  const clear = () => {
    setQ("");
    setArea({ provinceCode: "", communeCode: "" });
    setStatus("");
  };

  return (
    <section class="page" data-testid="vacc-sites-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-sites-title">{t("vacc.sites.title")}</h1>
          <p class="muted">{t("vacc.sites.lead")}</p>
        </div>
        <Show when={canManageSites(me().role)}>
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)} data-testid="vacc-site-new">
            {t("vacc.sites.new")}
          </button>
        </Show>
      </header>

      <FilterBar testId="vacc-sites" active={active()} onClear={clear}>
        <FilterField id="vacc-sites-q" label={t("common.search")} grow hideLabel>
          <input
            id="vacc-sites-q"
            type="search"
            class="search-input"
            placeholder={t("vacc.sites.search")}
            value={q()}
            onInput={(e) => setQ(e.currentTarget.value)}
            data-testid="vacc-sites-search"
          />
        </FilterField>
        <AreaFilter me={me()} idPrefix="vacc-sites" provinceCode={area().provinceCode} communeCode={area().communeCode} onChange={setArea} />
        <FilterField id="vacc-sites-status" label={t("vacc.site.status")}>
          <select id="vacc-sites-status" value={status()} onChange={(e) => setStatus(e.currentTarget.value as SiteStatus | "")} data-testid="vacc-sites-status">
            <option value="">{t("common.all")}</option>
            <For each={SITE_STATUSES}>{(s) => <option value={s}>{siteStatusLabel(s)}</option>}</For>
          </select>
        </FilterField>
      </FilterBar>

      <ListTable
        list={list}
        testId="vacc-sites"
        columns={[
          { label: t("vacc.site.name") },
          { label: t("vacc.col.area") },
          { label: t("vacc.site.capacityPerDay"), class: "num" },
          { label: t("vacc.site.status") },
        ]}
        emptyText={t("vacc.sites.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(s) => (
          <tr data-testid="vacc-site-row" data-site-id={s.id} data-site-name={s.name}>
            <td data-label={t("vacc.site.name")} class="cell-title">
              <A href={`/vaccination/sites/${encodeURIComponent(s.id)}`} class="venue-link" data-testid="vacc-site-open">
                {s.name}
              </A>
              <span class="sub muted">{s.address}</span>
            </td>
            <td data-label={t("vacc.col.area")}>{areaLabel(s.provinceCode, s.communeCode)}</td>
            <td data-label={t("vacc.site.capacityPerDay")} class="num">
              {formatCount(s.capacityPerDay)}
            </td>
            <td data-label={t("vacc.site.status")}>
              <span class={`vacc-badge vacc-site-${s.status}`}>{siteStatusLabel(s.status)}</span>
            </td>
          </tr>
        )}
      </ListTable>

      <Show when={creating()}>
        <Dialog title={t("vacc.sites.new")} onClose={() => setCreating(false)} testId="vacc-site-dialog">
          <SiteForm me={me()} onCancel={() => setCreating(false)} onSaved={(site) => navigate(`/vaccination/sites/${encodeURIComponent(site.id)}`)} />
        </Dialog>
      </Show>
    </section>
  );
}
