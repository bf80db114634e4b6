import { Navigate, useSearchParams } from "@solidjs/router";
import { Show, createSignal, onMount } from "solid-js";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import LangSwitch from "../components/LangSwitch";
import Logo from "../components/Logo";
import Spinner from "../components/Spinner";
import { t } from "../i18n";
import { session, signIn } from "../session";

/** Only same-site paths: `next=//evil.example` must not turn the login page into a redirector. */
function safeNext(value: string | string[] | undefined): string {
  const next = Array.isArray(value) ? value[0] : value;
  return next && next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/login") ? next : "/";
}

export default function LoginPage() {
  const [params] = useSearchParams();
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [showPassword, setShowPassword] = createSignal(false);
  const [submitting, setSubmitting] = createSignal(false);
  const [error, setError] = createSignal<unknown>(null);
  const [missing, setMissing] = createSignal<{ username?: boolean; password?: boolean }>({});
  let usernameInput!: HTMLInputElement;

  onMount(() => usernameInput.focus());

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const gaps = { username: !username().trim(), password: !password() };
    setMissing(gaps);
    if (gaps.username || gaps.password) return;
    setSubmitting(true);
    setError(null);
    try {
      await signIn(username().trim(), password());
      // The <Navigate> below takes over once the session is signed in.
    } catch (err) {
      setError(err);
      setPassword("");
    } finally {
      setSubmitting(false);
    }
  };

  const usernameError = () => (missing().username ? t("common.required") : undefined);
  const passwordError = () => (missing().password ? t("common.required") : undefined);

  return (
    <Show when={session.status() !== "signedIn"} fallback={<Navigate href={safeNext(params.next)} />}>
      <div class="login-screen">
        <div class="login-top">
          <LangSwitch />
        </div>
        <main class="login-card" data-testid="login-page">
          <div class="login-brand">
            <Logo size={48} />
            <div>
              <p class="login-platform">{t("app.name")}</p>
              <p class="muted">{t("app.portal")}</p>
            </div>
          </div>
          <h1 data-testid="login-title">{t("login.title")}</h1>
          <p class="muted">{t("login.subtitle")}</p>
          <Show when={params.expired && !error()}>
            <div class="banner banner-info" role="status">
              <p class="banner-message">{t("login.expired")}</p>
            </div>
          </Show>
          <ErrorBanner error={error()} testId="login-error" />
          <form class="form" onSubmit={submit} noValidate>
            <Field id="login-username" label={t("login.username")} error={usernameError()}>
              <input
                ref={usernameInput}
                id="login-username"
                name="username"
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                value={username()}
                onInput={(e) => setUsername(e.currentTarget.value)}
                aria-invalid={usernameError() ? "true" : undefined}
                aria-describedby={describedBy("login-username", usernameError())}
                data-testid="login-username"
              />
            </Field>
            <Field id="login-password" label={t("login.password")} error={passwordError()}>
              <div class="input-with-action">
                <input
                  id="login-password"
                  name="password"
                  type={showPassword() ? "text" : "password"}
                  autocomplete="current-password"
                  value={password()}
                  onInput={(e) => setPassword(e.currentTarget.value)}
                  aria-invalid={passwordError() ? "true" : undefined}
                  aria-describedby={describedBy("login-password", passwordError())}
                  data-testid="login-password"
                />
                <button
                  type="button"
                  class="input-action"
                  aria-pressed={showPassword()}
                  aria-label={t("login.showPassword")}
                  title={t("login.showPassword")}
                  onClick={() => setShowPassword((v) => !v)}
                >
                  <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                    <path
                      d="M12 5C6.5 5 2.7 9.3 1.5 12c1.2 2.7 5 7 10.5 7s9.3-4.3 10.5-7C21.3 9.3 17.5 5 12 5zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"
                      fill="currentColor"
                    />
                  </svg>
                </button>
              </div>
            </Field>
            <button type="submit" class="btn btn-primary btn-block" disabled={submitting()} data-testid="login-submit">
              <Show when={submitting()} fallback={t("login.submit")}>
                <Spinner inline label={t("login.submitting")} />
              </Show>
            </button>
          </form>
          <p class="login-footer muted">{t("login.footer")}</p>
        </main>
      </div>
    </Show>
  );
}
