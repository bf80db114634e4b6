/**
 * Write a draft announcement (kind, title, text, and where it applies: the whole province or one
 * commune) or edit one (kind, title, text). The text is plain: the public page shows it as written.
 */
import { Show, createSignal } from "solid-js";
import { lockedArea } from "../../access";
import type { User } from "../../api";
import ErrorBanner from "../../components/ErrorBanner";
import Field, { describedBy } from "../../components/Field";
import { CommuneSelect, ProvinceSelect } from "../../components/UnitSelect";
import { t } from "../../i18n";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "../vaccination/form";
import { localised } from "../vaccination/vaccination.data";
import { ANNOUNCEMENT_KINDS, BODY_MAX, TITLE_MAX, createAnnouncement, updateAnnouncement, type Announcement, type AnnouncementKind } from "./announcements.api";

const FIELDS = ["kind", "title", "body", "provinceCode", "communeCode"] as const;
type F = (typeof FIELDS)[number];

export default function AnnouncementForm(props: { me: User; announcement?: Announcement; onSaved: (a: Announcement, created: boolean) => void; onCancel: () => void }) {
  const a = props.announcement;
  const locked = lockedArea(props.me);
  const [kind, setKind] = createSignal<AnnouncementKind>(a?.kind ?? "announcement");
  const [title, setTitle] = createSignal(a?.title ?? "");
  const [body, setBody] = createSignal(a?.body ?? "");
  const [province, setProvince] = createSignal(a?.provinceCode ?? locked.provinceCode ?? "");
  const [commune, setCommune] = createSignal(a?.communeCode ?? locked.communeCode ?? "");
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const id = (f: F) => `announcement-form-${f}`;

  const validate = () => {
    const found: Partial<Record<F, string>> = {};
    if (!title().trim()) found.title = t("common.required");
    if (!body().trim()) found.body = t("common.required");
    if (!a && !province()) found.provinceCode = t("area.chooseProvince");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    errors.set(validate());
    if (errors.any()) return errors.focusFirst("announcement-form");
    setSaving(true);
    try {
      if (a) {
        const patch: { kind?: AnnouncementKind; title?: string; body?: string } = {};
        if (kind() !== a.kind) patch.kind = kind();
        if (title().trim() !== a.title) patch.title = title().trim();
        if (body() !== a.body) patch.body = body();
        props.onSaved(Object.keys(patch).length ? await updateAnnouncement(a.id, patch) : a, false);
      } else {
        const saved = await createAnnouncement({
          kind: kind(),
          title: title().trim(),
          body: body(),
          ...(commune() ? { communeCode: commune() } : {}),
          ...(!locked.provinceCode && province() ? { provinceCode: province() } : {}),
        });
        props.onSaved(saved, true);
      }
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? localised(error) : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="announcement-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="announcement-form-error" />
      <Select
        id={id("kind")}
        label={t("ann.kind")}
        value={kind()}
        required
        choices={ANNOUNCEMENT_KINDS.map((k) => ({ value: k, label: t(`ann.kind.${k}`) }))}
        error={errors.get("kind")}
        onInput={(v) => setKind(v as AnnouncementKind)}
      />
      <Show when={!a}>
        <Show when={!locked.provinceCode}>
          <Field id={id("provinceCode")} label={t("area.province")} required error={errors.get("provinceCode")}>
            <ProvinceSelect
              id={id("provinceCode")}
              value={province()}
              emptyLabel={t("area.chooseProvince")}
              invalid={!!errors.get("provinceCode")}
              describedBy={describedBy(id("provinceCode"), errors.get("provinceCode"))}
              testId={id("provinceCode")}
              onChange={(code) => {
                setProvince(code);
                setCommune("");
                errors.clear("provinceCode");
              }}
            />
          </Field>
        </Show>
        <Field id={id("communeCode")} label={t("area.commune")} error={errors.get("communeCode")} hint={locked.communeCode ? undefined : t("ann.communeHint")}>
          <CommuneSelect
            id={id("communeCode")}
            provinceCode={province()}
            value={commune()}
            emptyLabel={t("ann.wholeProvince")}
            disabled={!!locked.communeCode || !province()}
            invalid={!!errors.get("communeCode")}
            describedBy={describedBy(id("communeCode"), errors.get("communeCode"), !locked.communeCode)}
            testId={id("communeCode")}
            onChange={(code) => {
              setCommune(code);
              errors.clear("communeCode");
            }}
          />
        </Field>
      </Show>
      <Input
        id={id("title")}
        label={t("ann.title")}
        value={title()}
        maxLength={TITLE_MAX}
        required
        class="span-2"
        error={errors.get("title")}
        onInput={(v) => {
          setTitle(v);
          errors.clear("title");
        }}
      />
      <Field id={id("body")} label={t("ann.body")} required class="span-2" error={errors.get("body")} hint={t("ann.bodyHint")}>
        <textarea
          id={id("body")}
          rows={8}
          maxLength={BODY_MAX}
          value={body()}
          onInput={(e) => {
            setBody(e.currentTarget.value);
            errors.clear("body");
          }}
          aria-invalid={errors.get("body") ? "true" : undefined}
          aria-required="true"
          aria-describedby={describedBy(id("body"), errors.get("body"), true)}
          data-testid={id("body")}
        />
      </Field>
      <div class="form-actions span-2">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()} data-testid="announcement-form-cancel">
          {t("common.cancel")}
        </button>
        <Submit busy={saving()} label={a ? t("common.save") : t("ann.saveDraft")} busyLabel={t("common.saving")} testId="announcement-form-submit" />
      </div>
    </form>
  );
}
