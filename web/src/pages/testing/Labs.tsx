/**
 * The labs of the caller's area (lab staff: theirs), each with a link to its page (staff) and to
 * the pools sent to it; province officers and national admins add a lab of their province.
 */
import { A, useNavigate } from "@solidjs/router";
import { Show, createEffect, createSignal } from "solid-js";
import { canManageLabs, lockedArea } from "../../access";
import { areaLabel, ensureAreaNames } from "../../adminUnits";
import Dialog from "../../components/Dialog";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { ListTable } from "../../components/ListView";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { createKeysetList } from "../../pagination";
import { session } from "../../session";
import { Input, Submit, createErrors, serverFieldErrors } from "../vaccination/form";
import TestingNav from "./TestingNav";
import { createLab, listLabs, type Lab } from "./testing.api";
import { PAGE_SIZE, testingError } from "./testing.data";
import "./testing.css";

export default function LabsPage() {
  const me = () => session.user()!;
  const navigate = useNavigate();
  const [creating, setCreating] = createSignal(false);
  const list = createKeysetList(
    () => ({}),
    (_f, cursor, signal) => listLabs({ limit: PAGE_SIZE, cursor }, signal),
  );
  createEffect(() => list.items().forEach((l) => ensureAreaNames(l.provinceCode, l.communeCode)));

  return (
    <section class="page" data-testid="test-labs-page">
      <TestingNav />
      <header class="page-head">
        <div>
          <h1 data-testid="test-labs-title">{t("test.labs.title")}</h1>
          <p class="muted">{t("test.labs.lead")}</p>
        </div>
        <Show when={canManageLabs(me().role)}>
          <button type="button" class="btn btn-primary" onClick={() => setCreating(true)} data-testid="test-lab-new">
            {t("test.labs.new")}
          </button>
        </Show>
      </header>
      <ListTable
        list={list}
        testId="test-labs"
        columns={[{ label: t("test.lab.name") }, { label: t("test.col.area") }, { label: t("test.lab.active") }, { label: "" }]}
        emptyText={t("test.labs.empty")}
        filtersActive={false}
        onClearFilters={() => undefined}
      >
        {(l) => (
          <tr data-testid="test-lab-row" data-lab-id={l.id} data-lab-name={l.name}>
            <td data-label={t("test.lab.name")} class="cell-title">
              <A href={`/testing/labs/${encodeURIComponent(l.id)}`} class="venue-link" data-testid="test-lab-open">
                {l.name}
              </A>
              <span class="sub muted">{l.address}</span>
            </td>
            <td data-label={t("test.col.area")}>{areaLabel(l.provinceCode, l.communeCode)}</td>
            <td data-label={t("test.lab.active")}>
              <span class={`test-badge ${l.active ? "test-site-active" : "test-site-closed"}`}>{l.active ? t("test.lab.isActive") : t("test.lab.inactive")}</span>
            </td>
            <td class="row-actions">
              <A href={`/testing/pools?lab=${encodeURIComponent(l.id)}`} class="btn btn-small btn-ghost">
                {t("test.labs.pools")}
              </A>
            </td>
          </tr>
        )}
      </ListTable>
      <Show when={creating()}>
        <Dialog title={t("test.labs.new")} onClose={() => setCreating(false)} testId="test-lab-dialog">
          <LabForm onCancel={() => setCreating(false)} onSaved={(lab) => navigate(`/testing/labs/${encodeURIComponent(lab.id)}`)} />
        </Dialog>
      </Show>
    </section>
  );
}

const FIELDS = ["name", "address", "communeCode"] as const;
type F = (typeof FIELDS)[number];

function LabForm(props: { onSaved: (lab: Lab) => void; onCancel: () => void }) {
  const me = session.user()!;
  const locked = lockedArea(me);
  const [name, setName] = createSignal("");
  const [address, setAddress] = createSignal("");
  const [provinceCode, setProvinceCode] = createSignal(locked.provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal("");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Partial<Record<F, string>> = {};
    if (!name().trim()) found.name = t("common.required");
    if (!address().trim()) found.address = t("common.required");
    // A national admin's lab is placed by its commune (the province follows).
    if (!locked.provinceCode && !communeCode()) found.communeCode = t("common.requiredSelect");
    errors.set(found);
    if (errors.any()) return errors.focusFirst("lab-form");
    setSaving(true);
    try {
      props.onSaved(await createLab({ name: name().trim(), address: address().trim(), ...(communeCode() ? { communeCode: communeCode() } : {}) }));
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? testingError(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="lab-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="lab-form-error" />
      <Input id="lab-form-name" label={t("test.lab.name")} value={name()} maxLength={200} required class="span-2" error={errors.get("name")} onInput={(v) => (setName(v), errors.clear("name"))} />
      <Input id="lab-form-address" label={t("test.site.address")} value={address()} maxLength={300} required class="span-2" error={errors.get("address")} onInput={(v) => (setAddress(v), errors.clear("address"))} />
      <Show when={!locked.provinceCode}>
        <Field id="lab-form-provinceCode" label={t("area.province")}>
          <ProvinceSelect id="lab-form-provinceCode" value={provinceCode()} emptyLabel={t("area.chooseProvince")} onChange={(code) => (setProvinceCode(code), setCommuneCode(""))} testId="lab-form-provinceCode" />
        </Field>
      </Show>
      <Field id="lab-form-communeCode" label={t("area.commune")} error={errors.get("communeCode")} required={!locked.provinceCode}>
        <CommuneSelect
          id="lab-form-communeCode"
          provinceCode={provinceCode()}
          value={communeCode()}
          emptyLabel={t("area.noCommune")}
          invalid={!!errors.get("communeCode")}
          describedBy={describedBy("lab-form-communeCode", errors.get("communeCode"))}
          testId="lab-form-communeCode"
          onChange={(code) => (setCommuneCode(code), errors.clear("communeCode"))}
        />
      </Field>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={t("test.labs.create")} busyLabel={t("common.saving")} testId="lab-form-submit" />
      </div>
    </form>
  );
}
