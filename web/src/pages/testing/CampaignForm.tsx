/**
 * Open a campaign (name, test type, days, pool size, commune) or edit one (name, end day, pool
 * size, open/closed). A rapid-test campaign does not pool: its pool size is 1.
 */
import { Show, createEffect, createSignal, on } from "solid-js";
import { lockedArea } from "../../access";
import type { User } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "../vaccination/form";
import { todayInVietnam } from "../venues.data";
import { CAMPAIGN_STATUS_LIST, TEST_TYPE_LIST, createCampaign, updateCampaign, type Campaign, type CampaignPatch, type CampaignStatus, type TestType } from "./testing.api";
import { campaignStatusLabel, testingError, testTypeLabel } from "./testing.data";

const FIELDS = ["name", "testType", "startsOn", "endsOn", "poolSize", "communeCode", "status"] as const;
type F = (typeof FIELDS)[number];

export default function CampaignForm(props: { me: User; campaign?: Campaign; onSaved: (c: Campaign) => void; onCancel: () => void }) {
  const c = props.campaign;
  const locked = lockedArea(props.me);
  const today = todayInVietnam();
  const [name, setName] = createSignal(c?.name ?? "");
  const [testType, setTestType] = createSignal<TestType>(c?.testType ?? "pcr");
  const [startsOn, setStartsOn] = createSignal(c?.startsOn ?? today);
  const [endsOn, setEndsOn] = createSignal(c?.endsOn ?? today);
  const [poolSize, setPoolSize] = createSignal(String(c?.poolSize ?? 10));
  const [communeCode, setCommuneCode] = createSignal(c?.communeCode ?? locked.communeCode ?? "");
  const [status, setStatus] = createSignal<CampaignStatus>(c?.status ?? "open");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const id = (f: F) => `campaign-form-${f}`;
  // National admins pick the province (and then a commune: a campaign's area is where it runs).
  const [province, setProvince] = createSignal(c?.provinceCode ?? props.me.provinceCode ?? "");
  const rapid = () => testType() === "rapid_antigen";
  createEffect(on(testType, (type) => type === "rapid_antigen" && setPoolSize("1"), { defer: true }));

  const validate = () => {
    const found: Partial<Record<F, string>> = {};
    if (!name().trim()) found.name = t("common.required");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startsOn())) found.startsOn = t("common.required");
    if (!/^\d{4}-\d{2}-\d{2}$/.test(endsOn())) found.endsOn = t("common.required");
    else if (endsOn() < startsOn()) found.endsOn = t("test.campaign.endsBeforeStart");
    const size = Number(poolSize());
    if (!/^\d+$/.test(poolSize().trim()) || size < 1 || size > 10) found.poolSize = t("test.campaign.poolSizeInvalid");
    else if (rapid() && size !== 1) found.poolSize = t("test.campaign.rapidNoPool");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    errors.set(validate());
    if (errors.any()) return errors.focusFirst("campaign-form");
    setSaving(true);
    try {
      let saved: Campaign;
      if (c) {
        const patch: CampaignPatch = {};
        if (name().trim() !== c.name) patch.name = name().trim();
        if (endsOn() !== c.endsOn) patch.endsOn = endsOn();
        if (Number(poolSize()) !== c.poolSize) patch.poolSize = Number(poolSize());
        if (status() !== c.status) patch.status = status();
        saved = Object.keys(patch).length ? await updateCampaign(c.id, patch) : c;
      } else {
        saved = await createCampaign({
          name: name().trim(),
          testType: testType(),
          startsOn: startsOn(),
          endsOn: endsOn(),
          poolSize: Number(poolSize()),
          ...(communeCode() ? { communeCode: communeCode() } : {}),
        });
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
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="campaign-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="campaign-form-error" />
      <Input
        id={id("name")}
        label={t("test.campaign.name")}
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
      <Show when={!c}>
        <Select
          id={id("testType")}
          label={t("test.campaign.testType")}
          value={testType()}
          required
          choices={TEST_TYPE_LIST.map((v) => ({ value: v, label: testTypeLabel(v) }))}
          error={errors.get("testType")}
          onInput={(v) => setTestType(v as TestType)}
        />
        <Show when={!locked.provinceCode}>
          <Field id="campaign-form-provinceCode" label={t("area.province")}>
            <ProvinceSelect
              id="campaign-form-provinceCode"
              value={province()}
              emptyLabel={t("area.chooseProvince")}
              testId="campaign-form-provinceCode"
              onChange={(code) => {
                setProvince(code);
                setCommuneCode("");
              }}
            />
          </Field>
        </Show>
        <Field id={id("communeCode")} label={t("area.commune")} error={errors.get("communeCode")} hint={locked.communeCode ? undefined : t("test.campaign.communeHint")}>
          <CommuneSelect
            id={id("communeCode")}
            provinceCode={province()}
            value={communeCode()}
            emptyLabel={t("area.noCommune")}
            disabled={!!locked.communeCode || !province()}
            invalid={!!errors.get("communeCode")}
            describedBy={describedBy(id("communeCode"), errors.get("communeCode"), !locked.communeCode)}
            testId={id("communeCode")}
            onChange={(code) => {
              setCommuneCode(code);
              errors.clear("communeCode");
            }}
          />
        </Field>
        <Input
          id={id("startsOn")}
          type="date"
          label={t("test.campaign.startsOn")}
          required
          value={startsOn()}
          error={errors.get("startsOn")}
          onInput={(v) => {
            setStartsOn(v);
            errors.clear("startsOn");
          }}
        />
      </Show>
      <Input
        id={id("endsOn")}
        type="date"
        label={t("test.campaign.endsOn")}
        required
        min={startsOn()}
        value={endsOn()}
        error={errors.get("endsOn")}
        onInput={(v) => {
          setEndsOn(v);
          errors.clear("endsOn");
        }}
      />
      <Input
        id={id("poolSize")}
        type="number"
        inputmode="numeric"
        min={1}
        max={10}
        label={t("test.campaign.poolSize")}
        hint={rapid() ? t("test.campaign.rapidNoPool") : t("test.campaign.poolSizeHint")}
        required
        disabled={rapid()}
        value={poolSize()}
        error={errors.get("poolSize")}
        onInput={(v) => {
          setPoolSize(v);
          errors.clear("poolSize");
        }}
      />
      <Show when={c}>
        <Select
          id={id("status")}
          label={t("test.campaign.status")}
          value={status()}
          choices={CAMPAIGN_STATUS_LIST.map((v) => ({ value: v, label: campaignStatusLabel(v) }))}
          error={errors.get("status")}
          onInput={(v) => setStatus(v as CampaignStatus)}
        />
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={c ? t("common.save") : t("test.campaign.create")} busyLabel={t("common.saving")} testId="campaign-form-submit" />
      </div>
    </form>
  );
}
