/** Sign-in by phone: request a 6-digit code, enter it; resend after a cooldown; clear errors. */
import { Show, createSignal, onCleanup } from "solid-js";
import { normalizePhone } from "../checkin/format";
import { requestCode, verifyCode } from "./api";
import { t } from "./i18n";
import { loadMe, profile, profileComplete } from "./me";
import { navigate } from "./router";
import { ApiError } from "./session";
import { A, Alert, Field, duration, explain } from "./ui";

/** Seconds before "send a new code" is offered again (the server limits sends per phone too). */
const RESEND_AFTER = 60;

export function SignIn() {
  const [step, setStep] = createSignal<"phone" | "code">("phone");
  const [phone, setPhone] = createSignal("");
  const [code, setCode] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  const [phoneError, setPhoneError] = createSignal<string>();
  const [codeError, setCodeError] = createSignal<string>();
  /** Epoch ms before which a new code cannot be asked for. */
  const [waitUntil, setWaitUntil] = createSignal(0);
  const [now, setNow] = createSignal(Date.now());
  const timer = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(timer));
  const waitLeft = () => Math.max(0, Math.ceil((waitUntil() - now()) / 1000));

  async function send(e?: Event) {
    e?.preventDefault();
    if (busy()) return;
    setError(undefined);
    setCodeError(undefined);
    const p = normalizePhone(phone());
    if (!p) {
      setPhoneError(t("phoneInvalid"));
      document.getElementById("phone")?.focus();
      return;
    }
    setPhoneError(undefined);
    setPhone(p);
    setBusy(true);
    try {
      await requestCode(p);
      setStep("code");
      setCode("");
      setWaitUntil(Date.now() + RESEND_AFTER * 1000);
      setNow(Date.now());
      queueMicrotask(() => document.getElementById("code")?.focus());
    } catch (err) {
      if (err instanceof ApiError && err.code === "rate_limited") setWaitUntil(Date.now() + (err.retryAfter ?? RESEND_AFTER) * 1000);
      if (err instanceof ApiError && err.details.some((d) => d.path === "phone")) setPhoneError(t("phoneInvalid"));
      else setError(err);
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: Event) {
    e.preventDefault();
    if (busy()) return;
    setError(undefined);
    const c = code().replace(/\D/g, "");
    if (!/^\d{6}$/.test(c)) {
      setCodeError(t("codeInvalidFormat"));
      document.getElementById("code")?.focus();
      return;
    }
    setCodeError(undefined);
    setBusy(true);
    try {
      const s = await verifyCode(phone(), c);
      await loadMe(true);
      // A new account (or an unfinished profile) starts with the profile; otherwise the screen of
      // the address the citizen opened shows now that there is a session.
      if (s.created || !profileComplete(profile())) navigate("/profile?welcome=1", true);
    } catch (err) {
      setError(err);
      if (err instanceof ApiError && err.code === "rate_limited") setWaitUntil(Date.now() + (err.retryAfter ?? RESEND_AFTER) * 1000);
      if (err instanceof ApiError && codeProblem(err) === "dead") setWaitUntil(0); // a new code is the only way on
      setCode("");
      document.getElementById("code")?.focus();
    } finally {
      setBusy(false);
    }
  }

  /** What went wrong with the code, in words. */
  const codeMessage = (err: unknown): string => {
    if (!(err instanceof ApiError)) return explain(err);
    if (err.code === "rate_limited") return err.retryAfter ? t("rateLimited", { t: duration(err.retryAfter) }) : t("rateLimitedShort");
    switch (codeProblem(err)) {
      case "expired":
        return t("expiredCode");
      case "dead":
        return t("tooManyAttempts");
      case "wrong": {
        const left = attemptsLeft(err);
        return left != null ? t("wrongCodeLeft", { n: left }) : t("wrongCode");
      }
    }
    return explain(err);
  };

  return (
    <div class="page" data-testid="signin">
      <h1>{t("signInTitle")}</h1>
      <p class="lead">{t("signInLead")}</p>
      <Show
        when={step() === "code"}
        fallback={
          <form onSubmit={send} novalidate data-testid="signin-phone-form">
            <Field label={t("phone")} error={phoneError()} hint={t("phoneHint")} path="phone">
              {(a) => (
                <input
                  id="phone"
                  type="tel"
                  inputmode="tel"
                  autocomplete="tel-national"
                  maxlength={16}
                  enterkeyhint="send"
                  value={phone()}
                  onInput={(e) => setPhone(e.currentTarget.value)}
                  aria-invalid={a.invalid}
                  aria-describedby={a.describedBy}
                  data-testid="signin-phone"
                />
              )}
            </Field>
            <Alert error={error()} testId="signin-error" />
            <button class="btn" type="submit" disabled={busy() || waitLeft() > 0} data-testid="signin-send">
              {busy() ? t("sending") : waitLeft() > 0 ? t("resendIn", { s: waitLeft() }) : t("sendCode")}
            </button>
          </form>
        }
      >
        <form onSubmit={verify} novalidate data-testid="signin-code-form">
          <p data-testid="signin-sent">{t("codeSentTo", { phone: phone() })}</p>
          <Field label={t("code")} error={codeError()} path="code">
            {(a) => (
              <input
                id="code"
                class="code-input"
                inputmode="numeric"
                pattern="[0-9]*"
                autocomplete="one-time-code"
                maxlength={6}
                enterkeyhint="done"
                value={code()}
                onInput={(e) => setCode(e.currentTarget.value.replace(/\D/g, "").slice(0, 6))}
                aria-invalid={a.invalid}
                aria-describedby={a.describedBy}
                data-testid="signin-code"
              />
            )}
          </Field>
          <Show when={error()}>
            <p class="alert" role="alert" data-testid="signin-error" data-code={error() instanceof ApiError ? (error() as ApiError).code : undefined}>
              {codeMessage(error())}
            </p>
          </Show>
          <button class="btn" type="submit" disabled={busy()} data-testid="signin-verify">
            {busy() ? t("sending") : t("verify")}
          </button>
          <div class="links">
            <button type="button" class="link" disabled={busy() || waitLeft() > 0} onClick={() => void send()} data-testid="signin-resend">
              {waitLeft() > 0 ? t("resendIn", { s: waitLeft() }) : t("resend")}
            </button>
            <button
              type="button"
              class="link"
              onClick={() => {
                setStep("phone");
                setError(undefined);
              }}
            >
              {t("changePhone")}
            </button>
          </div>
        </form>
      </Show>

      <h2>{t("guestTitle")}</h2>
      <nav class="menu">
        <A href="/report" testId="guest-report">
          {t("guestReport")}
        </A>
        <A href="/report/follow" testId="guest-follow">
          {t("guestFollow")}
        </A>
        <a href="/notices">{t("guestNotices")}</a>
      </nav>
    </div>
  );
}

/** The server's verdict on a code (server/citizens/otp.ts): wrong, expired, or used up. */
function codeProblem(err: ApiError): "wrong" | "expired" | "dead" | undefined {
  switch (err.code) {
    case "otp_invalid":
      return "wrong";
    case "otp_expired":
      return "expired";
    case "otp_exhausted":
      return "dead";
  }
  return undefined;
}

/** "Wrong code; 3 tries left" → 3. */
function attemptsLeft(err: ApiError): number | undefined {
  const m = /(\d+)\s*(?:tries|try|attempts?)\s*left/i.exec(err.message);
  return m ? Number(m[1]) : undefined;
}
