/**
 * Add a testing site to a campaign (name, address, commune inside the campaign's area) or edit
 * one (name, address, open/closed).
 */
import { Show, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { CommuneSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "../vaccination/form";
import { SITE_STATUS_LIST, createTestSite, updateTestSite, type Campaign, type TestSite, type TestSitePatch, type TestSiteStatus } from "./testing.api";
import { siteStatusLabel, testingError } from "./testing.data";

const FIELDS = ["name", "address", "communeCode", "status"] as const;
type F = (typeof FIELDS)[number];

export default function TestSiteForm(props: { campaign: Pick<Campaign, "id" | "provinceCode" | "communeCode">; site?: TestSite; onSaved: (s: TestSite) => void; onCancel: () => void }) {
  const s = props.site;
  const [name, setName] = createSignal(s?.name ?? "");
  const [address, setAddress] = createSignal(s?.address ?? "");
  const [communeCode, setCommuneCode] = createSignal(s?.communeCode ?? props.campaign.communeCode ?? "");
  const [status, setStatus] = createSignal<TestSiteStatus>(s?.status ?? "active");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const id = (f: F) => `test-site-form-${f}`;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Partial<Record<F, string>> = {};
    if (!name().trim()) found.name = t("common.required");
    if (!address().trim()) found.address = t("common.required");
    if (!s && !communeCode()) found.communeCode = t("common.requiredSelect");
    errors.set(found);
    if (errors.any()) return errors.focusFirst("test-site-form");
    setSaving(true);
    try {
      let saved: TestSite;
      if (s) {
        const patch: TestSitePatch = {};
        if (name().trim() !== s.name) patch.name = name().trim();
        if (address().trim() !== s.address) patch.address = address().trim();
        if (status() !== s.status) patch.status = status();
        saved = Object.keys(patch).length ? await updateTestSite(s.id, patch) : s;
      } else {
        saved = await createTestSite(props.campaign.id, { name: name().trim(), address: address().trim(), communeCode: communeCode() });
      }
      props.onSaved(saved);
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? testingError(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="test-site-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="test-site-form-error" />
      <Input
        id={id("name")}
        label={t("test.site.name")}
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
        label={t("test.site.address")}
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
      <Show
        when={s}
        fallback={
          <Field id={id("communeCode")} label={t("area.commune")} error={errors.get("communeCode")} required class="span-2">
            <CommuneSelect
              id={id("communeCode")}
              provinceCode={props.campaign.provinceCode}
              value={communeCode()}
              emptyLabel={t("area.chooseCommune")}
              disabled={!!props.campaign.communeCode}
              invalid={!!errors.get("communeCode")}
              describedBy={describedBy(id("communeCode"), errors.get("communeCode"))}
              testId={id("communeCode")}
              onChange={(code) => {
                setCommuneCode(code);
                errors.clear("communeCode");
              }}
            />
          </Field>
        }
      >
        <Select
          id={id("status")}
          label={t("test.site.status")}
          value={status()}
          choices={SITE_STATUS_LIST.map((v) => ({ value: v, label: siteStatusLabel(v) }))}
          onInput={(v) => setStatus(v as TestSiteStatus)}
        />
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={s ? t("common.save") : t("test.site.create")} busyLabel={t("common.saving")} testId="test-site-form-submit" />
      </div>
    </form>
  );
}
