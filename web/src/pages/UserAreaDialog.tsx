/** Moves an account to another province/commune (PATCH /api/users/:id). */
import { Show, createSignal } from "solid-js";
import { ApiError, updateUser, type User, type UserPatch } from "../api";
import { areaNeed, lockedArea } from "../access";
import Dialog from "../components/Dialog";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import Spinner from "../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../components/UnitSelect";
import { fieldErrors } from "../errors";
import { roleLabel, t } from "../i18n";

const FIELDS = ["provinceCode", "communeCode"] as const;

export default function UserAreaDialog(props: { me: User; user: User; onSaved: (user: User) => void; onClose: () => void }) {
  const locked = () => lockedArea(props.me);
  const need = () => areaNeed(props.user.role);
  const [provinceCode, setProvinceCode] = createSignal(props.user.provinceCode ?? locked().provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal(props.user.communeCode ?? "");
  const [errors, setErrors] = createSignal<Record<string, string>>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!provinceCode()) found.provinceCode = t("common.requiredSelect");
    if (need() === "commune" && !communeCode()) found.communeCode = t("common.requiredSelect");
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    const patch: UserPatch = {
      provinceCode: provinceCode(),
      communeCode: need() === "province" ? null : communeCode() || null,
    };
    setSaving(true);
    try {
      props.onSaved(await updateUser(props.user.id, patch));
    } catch (err) {
      const fields = fieldErrors(err);
      setErrors(fields);
      const allShown =
        err instanceof ApiError && err.status === 400 && err.details.length > 0 && Object.keys(fields).every((f) => (FIELDS as readonly string[]).includes(f));
      setFailure(allShown ? null : err);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Dialog title={t("users.editArea.title")} onClose={props.onClose} testId="user-area-dialog">
      <form class="form" onSubmit={submit} noValidate>
        <p class="muted">
          {t("users.editArea.lead", { username: props.user.username, role: roleLabel(props.user.role) })}
        </p>
        <ErrorBanner error={failure()} handledFields={FIELDS} />
        <Field id="area-provinceCode" label={t("area.province")} error={errors().provinceCode} required>
          <ProvinceSelect
            id="area-provinceCode"
            value={provinceCode()}
            emptyLabel={t("area.chooseProvince")}
            disabled={!!locked().provinceCode}
            invalid={!!errors().provinceCode}
            describedBy={describedBy("area-provinceCode", errors().provinceCode)}
            testId="area-province"
            onChange={(code) => {
              setProvinceCode(code);
              setCommuneCode("");
            }}
          />
        </Field>
        <Show when={need() !== "province"}>
          <Field id="area-communeCode" label={t("area.commune")} error={errors().communeCode} required={need() === "commune"}>
            <CommuneSelect
              id="area-communeCode"
              provinceCode={provinceCode()}
              value={communeCode()}
              emptyLabel={need() === "commune" ? t("area.chooseCommune") : t("area.noCommune")}
              disabled={!!locked().communeCode}
              invalid={!!errors().communeCode}
              describedBy={describedBy("area-communeCode", errors().communeCode)}
              testId="area-commune"
              onChange={setCommuneCode}
            />
          </Field>
        </Show>
        <div class="form-actions">
          <button type="button" class="btn btn-ghost" onClick={() => props.onClose()}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="area-save">
            <Show when={saving()} fallback={t("common.save")}>
              <Spinner inline label={t("common.saving")} />
            </Show>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
