/**
 * Create a vaccination site (name, address, commune, capacity per day) or edit one (name,
 * address, capacity, open/closed). The commune is the caller's when they have no choice; a
 * site's commune never changes.
 */
import { Show, createSignal } from "solid-js";
import { lockedArea } from "../../access";
import type { User } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "./form";
import { SITE_STATUSES, createSite, updateSite, type Site, type SitePatch, type SiteStatus } from "./vaccination.api";
import { localised, siteStatusLabel } from "./vaccination.data";

const FIELDS = ["name", "address", "communeCode", "capacityPerDay", "status"] as const;
type F = (typeof FIELDS)[number] | "provinceCode";

export default function SiteForm(props: { me: User; site?: Site; onSaved: (site: Site) => void; onCancel: () => void }) {
  const s = props.site;
  const locked = lockedArea(props.me);
  const [name, setName] = createSignal(s?.name ?? "");
  const [address, setAddress] = createSignal(s?.address ?? "");
  const [provinceCode, setProvinceCode] = createSignal(s?.provinceCode ?? locked.provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal(s?.communeCode ?? locked.communeCode ?? "");
  const [capacity, setCapacity] = createSignal(s ? String(s.capacityPerDay) : "");
  const [status, setStatus] = createSignal<SiteStatus>(s?.status ?? "active");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const id = (f: F) => `site-form-${f}`;

  const validate = () => {
    const found: Partial<Record<F, string>> = {};
    if (!name().trim()) found.name = t("common.required");
    if (!address().trim()) found.address = t("common.required");
    if (!s && !provinceCode()) found.provinceCode = t("common.requiredSelect");
    if (!s && !communeCode()) found.communeCode = t("common.requiredSelect");
    if (!/^\d+$/.test(capacity().trim()) || Number(capacity()) < 1) found.capacityPerDay = t("vacc.site.capacityInvalid");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    errors.set(validate());
    if (errors.any()) return errors.focusFirst("site-form");
    setSaving(true);
    try {
      const fields = { name: name().trim(), address: address().trim(), capacityPerDay: Number(capacity()) };
      let saved: Site;
      if (s) {
        const patch: SitePatch = {};
        if (fields.name !== s.name) patch.name = fields.name;
        if (fields.address !== s.address) patch.address = fields.address;
        if (fields.capacityPerDay !== s.capacityPerDay) patch.capacityPerDay = fields.capacityPerDay;
        if (status() !== s.status) patch.status = status();
        saved = Object.keys(patch).length ? await updateSite(s.id, patch) : s;
      } else {
        saved = await createSite({ ...fields, communeCode: communeCode() });
      }
      props.onSaved(saved);
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? localised(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="site-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="site-form-error" />
      <Input
        id={id("name")}
        label={t("vacc.site.name")}
        value={name()}
        maxLength={200}
        required
        class="span-2"
        error={errors.get("name")}
        onInput={(v) => {
          setName(v);
          errors.clear("name");
        }}
      />
      <Input
        id={id("address")}
        label={t("vacc.site.address")}
        value={address()}
        maxLength={300}
        required
        class="span-2"
        error={errors.get("address")}
        onInput={(v) => {
          setAddress(v);
          errors.clear("address");
        }}
      />
      <Show when={!s}>
        <Field id={id("provinceCode")} label={t("area.province")} error={errors.get("provinceCode")} required>
          <ProvinceSelect
            id={id("provinceCode")}
            value={provinceCode()}
            emptyLabel={t("area.chooseProvince")}
            disabled={!!locked.provinceCode}
            invalid={!!errors.get("provinceCode")}
            describedBy={describedBy(id("provinceCode"), errors.get("provinceCode"))}
            testId={id("provinceCode")}
            onChange={(code) => {
              setProvinceCode(code);
              setCommuneCode("");
              errors.clear("provinceCode");
            }}
          />
        </Field>
        <Field id={id("communeCode")} label={t("area.commune")} error={errors.get("communeCode")} required>
          <CommuneSelect
            id={id("communeCode")}
            provinceCode={provinceCode()}
            value={communeCode()}
            emptyLabel={t("area.chooseCommune")}
            disabled={!!locked.communeCode}
            invalid={!!errors.get("communeCode")}
            describedBy={describedBy(id("communeCode"), errors.get("communeCode"))}
            testId={id("communeCode")}
            onChange={(code) => {
              setCommuneCode(code);
              errors.clear("communeCode");
            }}
          />
        </Field>
      </Show>
      <Input
        id={id("capacityPerDay")}
        label={t("vacc.site.capacityPerDay")}
        type="number"
        inputmode="numeric"
        min={1}
        step={1}
        required
        hint={t("vacc.site.capacityHint")}
        value={capacity()}
        error={errors.get("capacityPerDay")}
        onInput={(v) => {
          setCapacity(v);
          errors.clear("capacityPerDay");
        }}
      />
      <Show when={s}>
        <Select
          id={id("status")}
          label={t("vacc.site.status")}
          value={status()}
          choices={SITE_STATUSES.map((v) => ({ value: v, label: siteStatusLabel(v) }))}
          error={errors.get("status")}
          onInput={(v) => setStatus(v as SiteStatus)}
        />
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={s ? t("common.save") : t("vacc.site.create")} busyLabel={t("common.saving")} testId="site-form-submit" />
      </div>
    </form>
  );
}
