/** The citizen's profile: name, birth date, sex, commune (province → commune), ID number (write-only). */
import { Show, createEffect, createSignal, on } from "solid-js";
import { SEXES, saveProfile, type Sex } from "./api";
import { t, tx } from "./i18n";
import { loadMe, meError, profile, setProfile } from "./me";
import { navigate, query } from "./router";
import { Alert, Choice, Field, UnitPicker, fieldErrors, type Errors } from "./ui";
import { provinceOf } from "./units";

export function Profile() {
  const [fullName, setFullName] = createSignal("");
  const [birthDate, setBirthDate] = createSignal("");
  const [sex, setSex] = createSignal<Sex | "">("");
  const [province, setProvince] = createSignal("");
  const [commune, setCommune] = createSignal("");
  const [idNumber, setIdNumber] = createSignal("");
  const [errors, setErrors] = createSignal<Errors>({});
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [done, setDone] = createSignal(false);
  const welcome = () => query().get("welcome") === "1";

  void loadMe();
  // Fill the form once the profile arrives.
  createEffect(
    on(profile, (p) => {
      if (!p) return;
      setFullName(p.fullName ?? "");
      setBirthDate(p.birthDate ?? "");
      setSex(p.sex ?? "");
      setCommune(p.communeCode ?? "");
      if (p.provinceCode) setProvince(p.provinceCode);
      else if (p.communeCode) void provinceOf(p.communeCode).then((code) => code && setProvince(code));
    }),
  );

  async function save(e: Event) {
    e.preventDefault();
    if (busy()) return;
    const local: Errors = {};
    if (fullName().trim().length < 2) local.fullName = t("required");
    // A declaration needs the year of birth; the QR carries it.
    if (!birthDate()) local.birthDate = t("required");
    if (!commune()) local.communeCode = t("communeRequired");
    const id = idNumber().replace(/\s/g, "");
    if (id && !/^(\d{12}|\d{9})$/.test(id)) local.idNumber = t("idNumberInvalid");
    setErrors(local);
    setError(undefined);
    setDone(false);
    if (Object.keys(local).length) {
      (document.querySelector("[aria-invalid=true]") as HTMLElement | null)?.focus();
      return;
    }
    setBusy(true);
    try {
      const saved = await saveProfile({
        fullName: fullName().trim(),
        birthDate: birthDate() || null,
        sex: sex() || null,
        communeCode: commune() || null,
        ...(id ? { idNumber: id } : {}),
      });
      setProfile(saved);
      setIdNumber("");
      setDone(true);
      if (welcome()) navigate("/", true);
    } catch (err) {
      setErrors(fieldErrors(err));
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="page" data-testid="profile">
      <h1>{t("profileTitle")}</h1>
      <Show when={welcome()}>
        <p class="ok" data-testid="welcome">
          {t("welcome")}
        </p>
      </Show>
      <Alert error={meError()} />
      <Show when={profile()}>
        <p class="muted" data-testid="profile-phone">
          {t("account", { phone: profile()!.phone })}
        </p>
      </Show>
      <form onSubmit={save} novalidate data-testid="profile-form">
        <Field label={t("fullName")} error={errors().fullName} path="fullName">
          {(a) => (
            <input
              id={a.id}
              autocomplete="name"
              autocapitalize="words"
              maxlength={120}
              value={fullName()}
              onInput={(e) => setFullName(e.currentTarget.value)}
              aria-invalid={a.invalid}
              aria-describedby={a.describedBy}
              data-testid="profile-name"
            />
          )}
        </Field>
        <Field label={t("birthDate")} error={errors().birthDate} path="birthDate">
          {(a) => (
            <input
              id={a.id}
              type="date"
              autocomplete="bday"
              max={new Date().toISOString().slice(0, 10)}
              min="1900-01-01"
              value={birthDate()}
              onInput={(e) => setBirthDate(e.currentTarget.value)}
              aria-invalid={a.invalid}
              aria-describedby={a.describedBy}
              data-testid="profile-birthdate"
            />
          )}
        </Field>
        <Choice name="sex" legend={t("sex")} options={SEXES} label={(v) => tx("sex", v)} value={sex() as Sex} onChange={setSex} testId="profile-sex" error={errors().sex} />
        <UnitPicker province={province()} commune={commune()} onProvince={setProvince} onCommune={setCommune} error={errors().communeCode} path="communeCode" testId="profile" />
        <Field label={t("idNumber")} error={errors().idNumber} hint={profile()?.idNumberSet ? t("idNumberSet") : t("idNumberHint")} path="idNumber">
          {(a) => (
            <input
              id={a.id}
              inputmode="numeric"
              autocomplete="off"
              maxlength={14}
              value={idNumber()}
              onInput={(e) => setIdNumber(e.currentTarget.value)}
              aria-invalid={a.invalid}
              aria-describedby={a.describedBy}
              data-testid="profile-idnumber"
              placeholder={profile()?.idNumberSet ? "••••••••••••" : ""}
            />
          )}
        </Field>
        <Alert error={error()} testId="profile-error" />
        <Show when={done()}>
          <p class="ok" role="status" data-testid="profile-saved">
            {t("saved")}
          </p>
        </Show>
        <button class="btn" type="submit" disabled={busy()} data-testid="profile-save">
          {busy() ? t("saving") : t("save")}
        </button>
      </form>
    </div>
  );
}
