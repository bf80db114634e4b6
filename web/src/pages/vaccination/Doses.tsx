/**
 * Doses given in the caller's area (site staff: at their sites), newest first: search by name or
 * phone, filters by site, commune, days, product and dose number; each row opens the person's
 * record.
 */
import { A } from "@solidjs/router";
import { For, Show, createEffect, createMemo, createResource, createSignal } from "solid-js";
import { canVaccinate } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import AreaFilter from "../../components/AreaFilter";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { formatDay } from "../venues.data";
import VaccinationNav from "./VaccinationNav";
import { listSites } from "./vaccination.api";
import { createDoseList, doseLabel, loadProducts, sameFilters, sourceLabel } from "./vaccination.data";
import "./vaccination.css";

const DOSE_NUMBERS = [1, 2, 3, 4] as const;

export default function DosesPage() {
  const me = () => session.user()!;
  const [q, setQ] = createSignal("");
  const [siteId, setSiteId] = createSignal("");
  const [area, setArea] = createSignal({ provinceCode: "", communeCode: "" });
  const [from, setFrom] = createSignal("");
  const [to, setTo] = createSignal("");
  const [productCode, setProductCode] = createSignal("");
  const [doseNumber, setDoseNumber] = createSignal<number | "">("");
  const query = createDebounced(q, 300);
  const [sites] = createResource(() => listSites({ limit: 100 }).then((r) => r.items));
  const [products] = createResource(loadProducts);
  const filters = createMemo(
    () => ({ q: query().trim(), siteId: siteId(), communeCode: area().communeCode, from: from(), to: to(), productCode: productCode(), doseNumber: doseNumber() }),
    undefined,
    { equals: sameFilters },
  );
  const list = createDoseList(filters);
  createEffect(() => list.items().forEach((d) => ensureAreaNames(d.provinceCode, d.communeCode)));

  const active = () => !!(q() || siteId() || area().provinceCode || area().communeCode || from() || to() || productCode() || doseNumber());
  const clear = () => {
    setQ("");
    setSiteId("");
    setArea({ provinceCode: "", communeCode: "" });
    setFrom("");
    setTo("");
    setProductCode("");
    setDoseNumber("");
  };

  return (
    <section class="page" data-testid="vacc-doses-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-doses-title">{t("vacc.doses.title")}</h1>
          <p class="muted">{t("vacc.doses.lead")}</p>
        </div>
        <Show when={canVaccinate(me().role)}>
          <A href="/vaccination/record" class="btn btn-primary" data-testid="vacc-doses-record">
            {t("vacc.nav.record")}
          </A>
        </Show>
      </header>

      <FilterBar testId="vacc-doses" active={active()} onClear={clear}>
        <FilterField id="vacc-doses-q" label={t("common.search")} grow hideLabel>
          <input id="vacc-doses-q" type="search" class="search-input" placeholder={t("vacc.doses.search")} value={q()} onInput={(e) => setQ(e.currentTarget.value)} data-testid="vacc-doses-search" />
        </FilterField>
        <FilterField id="vacc-doses-site" label={t("vacc.col.site")}>
          <select id="vacc-doses-site" value={siteId()} onChange={(e) => setSiteId(e.currentTarget.value)} data-testid="vacc-doses-site">
            <option value="">{t("common.all")}</option>
            <For each={sites() ?? []}>{(s) => <option value={s.id}>{s.name}</option>}</For>
          </select>
        </FilterField>
        <AreaFilter me={me()} idPrefix="vacc-doses" provinceCode={area().provinceCode} communeCode={area().communeCode} onChange={setArea} />
        <FilterField id="vacc-doses-from" label={t("vacc.filter.from")}>
          <input id="vacc-doses-from" type="date" value={from()} max={to() || undefined} onChange={(e) => setFrom(e.currentTarget.value)} data-testid="vacc-doses-from" />
        </FilterField>
        <FilterField id="vacc-doses-to" label={t("vacc.filter.to")}>
          <input id="vacc-doses-to" type="date" value={to()} min={from() || undefined} onChange={(e) => setTo(e.currentTarget.value)} data-testid="vacc-doses-to" />
        </FilterField>
        <FilterField id="vacc-doses-product" label={t("vacc.col.product")}>
          <select id="vacc-doses-product" value={productCode()} onChange={(e) => setProductCode(e.currentTarget.value)} data-testid="vacc-doses-product">
            <option value="">{t("common.all")}</option>
            <For each={products() ?? []}>{(p) => <option value={p.code}>{`${p.code} · ${p.name}`}</option>}</For>
          </select>
        </FilterField>
        <FilterField id="vacc-doses-number" label={t("vacc.col.dose")}>
          <select id="vacc-doses-number" value={String(doseNumber())} onChange={(e) => setDoseNumber(e.currentTarget.value ? Number(e.currentTarget.value) : "")} data-testid="vacc-doses-number">
            <option value="">{t("common.all")}</option>
            <For each={DOSE_NUMBERS}>{(n) => <option value={n}>{doseLabel(n)}</option>}</For>
          </select>
        </FilterField>
      </FilterBar>

      <ListTable
        list={list}
        testId="vacc-doses"
        columns={[
          { label: t("vacc.col.person") },
          { label: t("vacc.col.dose") },
          { label: t("vacc.col.product") },
          { label: t("vacc.col.lot") },
          { label: t("vacc.col.givenOn") },
          { label: t("vacc.col.site") },
        ]}
        emptyText={t("vacc.doses.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(d) => (
          <tr data-testid="vacc-dose-row" data-dose-id={d.id} data-person-id={d.personId} data-dose-number={d.doseNumber}>
            <td data-label={t("vacc.col.person")} class="cell-title">
              <A href={`/vaccination/people/${encodeURIComponent(d.personId)}`} class="venue-link" data-testid="vacc-dose-person">
                {d.personName}
              </A>
              <span class="sub muted">{t("vacc.person.birthYear", { year: d.birthYear ?? "–" })}</span>
            </td>
            <td data-label={t("vacc.col.dose")}>
              {doseLabel(d.doseNumber)}
              <Show when={d.source === "import"}>
                <span class="sub muted">{sourceLabel(d.source)}</span>
              </Show>
            </td>
            <td data-label={t("vacc.col.product")}>{d.productCode}</td>
            <td data-label={t("vacc.col.lot")}>
              <code>{d.lotNumber}</code>
            </td>
            <td data-label={t("vacc.col.givenOn")} class="nowrap">
              {formatDay(d.givenOn)}
            </td>
            <td data-label={t("vacc.col.site")}>
              {d.siteName}
              <span class="sub muted">{areaLabel(d.provinceCode, d.communeCode)}</span>
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}
