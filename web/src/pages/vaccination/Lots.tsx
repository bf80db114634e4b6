/**
 * Vaccine lots: search by lot number, product filter, expired lots shown on request (and marked);
 * province, health and national officers add a lot.
 */
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import { canAddLots } from "../../access";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import { FilterBar, FilterField, ListTable } from "../../components/ListView";
import { formatDateTime, t } from "../../i18n";
import { createDebounced } from "../../pagination";
import { session } from "../../session";
import { formatDay, todayInVietnam } from "../venues.data";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "./form";
import VaccinationNav from "./VaccinationNav";
import { createLot, type Lot } from "./vaccination.api";
import { createLotList, formatCount, loadProducts, localised, sameFilters } from "./vaccination.data";
import "./vaccination.css";

export default function LotsPage() {
  const me = () => session.user()!;
  const [q, setQ] = createSignal("");
  const [productCode, setProductCode] = createSignal("");
  const [includeExpired, setIncludeExpired] = createSignal(false);
  const [products] = createResource(loadProducts);
  const query = createDebounced(q, 300);
  const filters = createMemo(() => ({ q: query().trim(), productCode: productCode(), includeExpired: includeExpired() }), undefined, { equals: sameFilters });
  const list = createLotList(filters);
  const flash = createFlash();
  const active = () => !!(q() || productCode() || includeExpired());
  const clear = () => {
    setQ("");
    setProductCode("");
    setIncludeExpired(false);
  };

  return (
    <section class="page" data-testid="vacc-lots-page">
      <VaccinationNav />
      <header class="page-head">
        <div>
          <h1 data-testid="vacc-lots-title">{t("vacc.lots.title")}</h1>
          <p class="muted">{t("vacc.lots.lead")}</p>
        </div>
      </header>
      <Flash message={flash.message()} />
      <Show when={canAddLots(me().role)}>
        <LotForm
          onSaved={(lot) => {
            list.update((items) => [lot, ...items.filter((l) => l.id !== lot.id)]);
            flash.show(t("vacc.lots.saved", { lot: lot.lotNumber }));
          }}
        />
      </Show>
      <FilterBar testId="vacc-lots" active={active()} onClear={clear}>
        <FilterField id="vacc-lots-q" label={t("common.search")} grow hideLabel>
          <input id="vacc-lots-q" type="search" class="search-input" placeholder={t("vacc.lots.search")} value={q()} onInput={(e) => setQ(e.currentTarget.value)} data-testid="vacc-lots-search" />
        </FilterField>
        <FilterField id="vacc-lots-product" label={t("vacc.col.product")}>
          <select id="vacc-lots-product" value={productCode()} onChange={(e) => setProductCode(e.currentTarget.value)} data-testid="vacc-lots-product">
            <option value="">{t("common.all")}</option>
            <For each={products() ?? []}>{(p) => <option value={p.code}>{`${p.code} · ${p.name}`}</option>}</For>
          </select>
        </FilterField>
        <label class="check-row toolbar-check">
          <input type="checkbox" checked={includeExpired()} onChange={(e) => setIncludeExpired(e.currentTarget.checked)} data-testid="vacc-lots-expired" />
          {t("vacc.lots.includeExpired")}
        </label>
      </FilterBar>
      <ListTable
        list={list}
        testId="vacc-lots"
        columns={[
          { label: t("vacc.col.lot") },
          { label: t("vacc.col.product") },
          { label: t("vacc.lot.expiresOn") },
          { label: t("vacc.lot.dosesReceived"), class: "num" },
          { label: t("vacc.lot.createdAt") },
        ]}
        emptyText={t("vacc.lots.empty")}
        filtersActive={active()}
        onClearFilters={clear}
      >
        {(l) => (
          <tr data-testid="vacc-lot-row" data-lot-number={l.lotNumber} data-expired={String(l.expired)} classList={{ "row-disabled": l.expired }}>
            <td data-label={t("vacc.col.lot")} class="cell-title">
              <code>{l.lotNumber}</code>
            </td>
            <td data-label={t("vacc.col.product")}>{l.productCode}</td>
            <td data-label={t("vacc.lot.expiresOn")} class="nowrap">
              {formatDay(l.expiresOn)}
              <Show when={l.expired}>
                {" "}
                <span class="vacc-badge vacc-expired" data-testid="vacc-lot-expired">
                  {t("vacc.lot.expiredTag")}
                </span>
              </Show>
            </td>
            <td data-label={t("vacc.lot.dosesReceived")} class="num">
              {formatCount(l.dosesReceived)}
            </td>
            <td data-label={t("vacc.lot.createdAt")} class="nowrap">
              {formatDateTime(l.createdAt)}
            </td>
          </tr>
        )}
      </ListTable>
    </section>
  );
}

const FIELDS = ["productCode", "lotNumber", "expiresOn", "dosesReceived"] as const;
type F = (typeof FIELDS)[number];

function LotForm(props: { onSaved: (lot: Lot) => void }) {
  const [products] = createResource(loadProducts);
  const [productCode, setProductCode] = createSignal("");
  const [lotNumber, setLotNumber] = createSignal("");
  const [expiresOn, setExpiresOn] = createSignal("");
  const [doses, setDoses] = createSignal("");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const set = (f: F, setter: (v: string) => void) => (v: string) => {
    setter(v);
    errors.clear(f);
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Partial<Record<F, string>> = {};
    if (!productCode()) found.productCode = t("common.requiredSelect");
    if (!lotNumber().trim()) found.lotNumber = t("common.required");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(expiresOn())) found.expiresOn = t("common.required");
    if (doses() && !(/^\d+$/.test(doses()) && Number(doses()) > 0)) found.dosesReceived = t("vacc.lots.dosesInvalid");
    errors.set(found);
    if (errors.any()) return errors.focusFirst("vacc-lot");
    setSaving(true);
    try {
      const lot = await createLot({
        productCode: productCode(),
        lotNumber: lotNumber().trim(),
        expiresOn: expiresOn(),
        ...(doses() ? { dosesReceived: Number(doses()) } : {}),
      });
      props.onSaved(lot);
      setLotNumber("");
      setExpiresOn("");
      setDoses("");
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? localised(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card" aria-labelledby="vacc-lot-form-title">
      <h2 id="vacc-lot-form-title">{t("vacc.lots.add")}</h2>
      <form class="form form-grid vacc-lot-form" onSubmit={submit} noValidate data-testid="vacc-lot-form">
        <ErrorBanner error={failure()} handledFields={FIELDS} testId="vacc-lot-form-error" />
        <Select
          id="vacc-lot-productCode"
          label={t("vacc.col.product")}
          value={productCode()}
          required
          emptyLabel={t("vacc.lots.chooseProduct")}
          choices={(products() ?? []).filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))}
          error={errors.get("productCode")}
          onInput={set("productCode", setProductCode)}
        />
        <Input id="vacc-lot-lotNumber" label={t("vacc.col.lot")} value={lotNumber()} maxLength={60} required error={errors.get("lotNumber")} onInput={set("lotNumber", setLotNumber)} />
        <Input id="vacc-lot-expiresOn" type="date" label={t("vacc.lot.expiresOn")} min={todayInVietnam()} value={expiresOn()} required error={errors.get("expiresOn")} onInput={set("expiresOn", setExpiresOn)} />
        <Input
          id="vacc-lot-dosesReceived"
          type="number"
          inputmode="numeric"
          min={1}
          label={t("vacc.lot.dosesReceived")}
          value={doses()}
          error={errors.get("dosesReceived")}
          onInput={set("dosesReceived", setDoses)}
        />
        <div class="form-actions">
          <Submit busy={saving()} label={t("vacc.lots.addSubmit")} busyLabel={t("common.saving")} testId="vacc-lot-submit" />
        </div>
      </form>
    </section>
  );
}
