/**
 * The create-user form. The role decides which area fields appear; the caller's own area is
 * pre-filled and locked (a province officer creates accounts in their province only). Client
 * checks cover required fields; everything else comes back from the server's `details`.
 */
import { For, Show, createMemo, createSignal } from "solid-js";
import { ApiError, createUser, type NewUser, type Role, type User } from "../api";
import { areaNeed, assignableRoles, lockedArea } from "../access";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import Spinner from "../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../components/UnitSelect";
import { fieldErrors, fieldName } from "../errors";
import { roleLabel, t } from "../i18n";

const FIELDS = ["username", "displayName", "password", "role", "provinceCode", "communeCode"] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

/** The role offered first: one level below the caller, the most common account to create. */
function defaultRole(caller: Role, allowed: Role[]): Role | "" {
  const preferred: Partial<Record<Role, Role>> = {
    national_admin: "province_officer",
    province_officer: "commune_officer",
    commune_officer: "venue_staff",
  };
  const choice = preferred[caller];
  return choice && allowed.includes(choice) ? choice : (allowed[0] ?? "");
}

export default function UserCreateForm(props: { me: User; onCreated: (user: User) => void; onCancel: () => void }) {
  const roles = () => assignableRoles(props.me.role);
  const locked = () => lockedArea(props.me);

  const [username, setUsername] = createSignal("");
  const [displayName, setDisplayName] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [role, setRole] = createSignal<Role | "">(defaultRole(props.me.role, roles()));
  const [provinceCode, setProvinceCode] = createSignal(locked().provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal(locked().communeCode ?? "");
  const [errors, setErrors] = createSignal<Errors>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const need = createMemo(() => (role() ? areaNeed(role() as Role) : "none"));
  const showProvince = () => need() !== "none";
  const showCommune = () => need() === "commune" || need() === "provinceOptionalCommune";

  const clearError = (name: FieldName) => {
    if (errors()[name]) setErrors(({ [name]: _, ...rest }) => rest);
  };

  const validate = (): Errors => {
    const found: Errors = {};
    if (!username().trim()) found.username = t("common.required");
    if (!displayName().trim()) found.displayName = t("common.required");
    if (!password()) found.password = t("common.required");
    if (!role()) found.role = t("common.requiredSelect");
    if (showProvince() && !provinceCode()) found.provinceCode = t("common.requiredSelect");
    if (need() === "commune" && !communeCode()) found.communeCode = t("common.requiredSelect");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(`user-form-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    const input: NewUser = {
      username: username().trim(),
      displayName: displayName().trim(),
      password: password(),
      role: role() as Role,
    };
    if (showProvince()) input.provinceCode = provinceCode();
    if (showCommune() && communeCode()) input.communeCode = communeCode();
    setSaving(true);
    try {
      const created = await createUser(input);
      props.onCreated(created);
      setUsername("");
      setDisplayName("");
      setPassword("");
      setErrors({});
    } catch (err) {
      const fields = fieldErrors(err) as Errors;
      // A taken username is a conflict, not a validation error, but it belongs to the field.
      if (err instanceof ApiError && err.code === "conflict" && !fields.username) fields.username = err.message || t("error.conflict");
      setErrors(fields);
      // The banner stays for what no field shows: 403, 500, details about unknown paths.
      const shownByFields =
        err instanceof ApiError &&
        ((err.status === 400 &&
          err.details.length > 0 &&
          err.details.every((d) => (FIELDS as readonly string[]).includes(fieldName(d.path)))) ||
          (err.code === "conflict" && !!fields.username));
      setFailure(shownByFields ? null : err);
    } finally {
      setSaving(false);
    }
  };

  const err = (name: FieldName) => errors()[name];

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid="user-form">
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="user-form-error" />
      <Field id="user-form-username" label={t("users.form.username")} error={err("username")} hint={t("users.form.usernameHint")} required>
        <input
          id="user-form-username"
          autocomplete="off"
          autocapitalize="none"
          spellcheck={false}
          value={username()}
          onInput={(e) => {
            setUsername(e.currentTarget.value);
            clearError("username");
          }}
          aria-invalid={err("username") ? "true" : undefined}
          aria-describedby={describedBy("user-form-username", err("username"), true)}
          data-testid="user-form-username"
        />
      </Field>
      <Field id="user-form-displayName" label={t("users.form.displayName")} error={err("displayName")} required>
        <input
          id="user-form-displayName"
          autocomplete="off"
          value={displayName()}
          onInput={(e) => {
            setDisplayName(e.currentTarget.value);
            clearError("displayName");
          }}
          aria-invalid={err("displayName") ? "true" : undefined}
          aria-describedby={describedBy("user-form-displayName", err("displayName"))}
          data-testid="user-form-displayName"
        />
      </Field>
      <Field id="user-form-password" label={t("users.form.password")} error={err("password")} hint={t("users.form.passwordHint")} required>
        <input
          id="user-form-password"
          type="password"
          autocomplete="new-password"
          value={password()}
          onInput={(e) => {
            setPassword(e.currentTarget.value);
            clearError("password");
          }}
          aria-invalid={err("password") ? "true" : undefined}
          aria-describedby={describedBy("user-form-password", err("password"), true)}
          data-testid="user-form-password"
        />
      </Field>
      <Field id="user-form-role" label={t("users.form.role")} error={err("role")} required>
        <select
          id="user-form-role"
          value={role()}
          onChange={(e) => {
            setRole(e.currentTarget.value as Role);
            clearError("role");
            if (areaNeed(e.currentTarget.value as Role) === "none") {
              setProvinceCode(locked().provinceCode ?? "");
              setCommuneCode(locked().communeCode ?? "");
            }
          }}
          aria-invalid={err("role") ? "true" : undefined}
          aria-describedby={describedBy("user-form-role", err("role"))}
          data-testid="user-form-role"
        >
          <For each={roles()}>
            {(r) => (
              <option value={r} selected={r === role()}>
                {roleLabel(r)}
              </option>
            )}
          </For>
        </select>
      </Field>
      <Show when={showProvince()}>
        <Field id="user-form-provinceCode" label={t("area.province")} error={err("provinceCode")} required>
          <ProvinceSelect
            id="user-form-provinceCode"
            value={provinceCode()}
            emptyLabel={t("area.chooseProvince")}
            disabled={!!locked().provinceCode}
            invalid={!!err("provinceCode")}
            describedBy={describedBy("user-form-provinceCode", err("provinceCode"))}
            testId="user-form-province"
            onChange={(code) => {
              setProvinceCode(code);
              setCommuneCode("");
              clearError("provinceCode");
            }}
          />
        </Field>
      </Show>
      <Show when={showCommune()}>
        <Field id="user-form-communeCode" label={t("area.commune")} error={err("communeCode")} required={need() === "commune"}>
          <CommuneSelect
            id="user-form-communeCode"
            provinceCode={provinceCode()}
            value={communeCode()}
            emptyLabel={need() === "commune" ? t("area.chooseCommune") : t("area.noCommune")}
            disabled={!!locked().communeCode}
            invalid={!!err("communeCode")}
            describedBy={describedBy("user-form-communeCode", err("communeCode"))}
            testId="user-form-commune"
            onChange={(code) => {
              setCommuneCode(code);
              clearError("communeCode");
            }}
          />
        </Field>
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="user-form-submit">
          <Show when={saving()} fallback={t("users.create.submit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
