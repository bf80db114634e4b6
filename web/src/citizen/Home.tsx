/**
 * Home: the personal health QR of the citizen or a family member. The status band says the colour
 * and why; the QR (a signed token with no name in it) is drawn on a canvas by the lazily loaded
 * `qrcode` package, and renewed a minute before it expires (and when the phone wakes up).
 */
import { textOn } from "../checkin/format";
import { For, Show, createEffect, createSignal, on, onCleanup } from "solid-js";
import { healthQr, myExposures, type HealthQr, type HealthStatus } from "./api";
import { t, tx, type Key } from "./i18n";
import { family, profile, profileComplete, setWhose, whose } from "./me";
import { A, Alert, timeVN } from "./ui";

const HEX = /^#[0-9a-f]{6}$/i;
/** The server's colour of the status (the same the staff's check shows), with readable text on it. */
export const paint = (hex: string) => (HEX.test(hex) ? { background: hex, color: textOn(hex) } : undefined);

const STATUS_WORD: Record<HealthStatus, Key> = { green: "statusGreen", yellow: "statusYellow", red: "statusRed" };
/** Renew this long before expiry (or at 80% of a short lifetime). */
const RENEW_BEFORE_MS = 60_000;

export function Home() {
  const [qr, setQr] = createSignal<HealthQr>();
  const [error, setError] = createSignal<unknown>();
  const [busy, setBusy] = createSignal(false);
  const [drawFailed, setDrawFailed] = createSignal(false);
  const [now, setNow] = createSignal(Date.now());
  const [exposed, setExposed] = createSignal(false);
  let canvas: HTMLCanvasElement | undefined;
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let latest = 0;

  const tick = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => {
    clearInterval(tick);
    clearTimeout(renewTimer);
  });

  async function load() {
    const mine = ++latest;
    const personId = whose();
    clearTimeout(renewTimer);
    setBusy(true);
    setError(undefined);
    try {
      const answer = await healthQr(personId || undefined);
      if (mine !== latest) return;
      setQr(answer);
      const left = Date.parse(answer.expiresAt) - Date.now();
      const wait = Math.max(5_000, Math.min(left - RENEW_BEFORE_MS, left * 0.8));
      renewTimer = setTimeout(() => void load(), wait);
    } catch (e) {
      if (mine !== latest) return;
      setError(e);
      renewTimer = setTimeout(() => void load(), 30_000);
    } finally {
      if (mine === latest) setBusy(false);
    }
  }

  createEffect(on(whose, () => void load()));

  const wake = () => {
    const q = qr();
    if (document.visibilityState === "visible" && (!q || Date.parse(q.expiresAt) - Date.now() < RENEW_BEFORE_MS)) void load();
  };
  document.addEventListener("visibilitychange", wake);
  onCleanup(() => document.removeEventListener("visibilitychange", wake));

  // Draw the token whenever it changes; the QR library loads only here.
  createEffect(
    on(qr, (q) => {
      if (!q || !canvas) return;
      setDrawFailed(false);
      const target = canvas;
      import("qrcode")
        .then((QR) => QR.toCanvas(target, q.token, { errorCorrectionLevel: "M", margin: 2, width: 640, color: { dark: "#000000", light: "#ffffff" } }))
        .then(() => {
          target.style.width = "";
          target.style.height = "";
        })
        .catch(() => setDrawFailed(true));
    }),
  );

  myExposures()
    .then((list) => setExposed(list.items.some((n) => n.status !== "released" && n.status !== "became_f0" && n.quarantineUntil.slice(0, 10) >= new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10))))
    .catch(() => undefined);

  const left = () => {
    const q = qr();
    return q ? Math.max(0, Math.floor((Date.parse(q.expiresAt) - now()) / 1000)) : 0;
  };
  const mmss = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  const people = () => [{ personId: "", name: t("me") }, ...family().map((m) => ({ personId: m.personId, name: m.fullName }))];

  return (
    <div class="page" data-testid="home">
      <Show when={exposed()}>
        <A href="/notices" class="alert" testId="home-exposure">
          {t("exposureBanner")}
        </A>
      </Show>
      <Show when={profile() && !profileComplete(profile())}>
        <div class="note" data-testid="profile-missing">
          <p>{t("profileMissing")}</p>
          <A href="/profile" class="btn ghost">
            {t("profileGo")}
          </A>
        </div>
      </Show>
      <h1>{t("qrTitle")}</h1>
      <Show when={family().length > 0}>
        <div class="who" role="group" aria-label={t("qrFor")} data-testid="person-switcher">
          <For each={people()}>
            {(p) => (
              <button type="button" aria-pressed={whose() === p.personId ? "true" : "false"} onClick={() => setWhose(p.personId)} data-testid="person-option" data-person-id={p.personId}>
                {p.name}
              </button>
            )}
          </For>
        </div>
      </Show>
      <Alert error={error()} testId="qr-error" />
      <Show when={qr()}>
        {(q) => (
          <>
            <section class={`status ${q().status}`} style={paint(q().colour)} data-testid="qr-status" data-status={q().status} data-colour={q().colour} aria-live="polite">
              <p class="status-word">{t(STATUS_WORD[q().status])}</p>
              <Show when={q().reasons.length > 0}>
                <ul data-testid="qr-reasons">
                  <For each={q().reasons}>{(r) => <li data-reason={r}>{tx("reason", r)}</li>}</For>
                </ul>
              </Show>
            </section>
          </>
        )}
      </Show>
      <div class={`qr ${qr()?.status ?? ""}`} style={qr() && HEX.test(qr()!.colour) ? { color: qr()!.colour } : undefined} data-testid="health-qr" data-ready={qr() && !drawFailed() ? "true" : "false"} hidden={!qr()}>
        <canvas ref={canvas} role="img" aria-label={t("qrTitle")} data-testid="health-qr-canvas" />
      </div>
      <Show when={drawFailed()}>
        <p class="alert">{t("qrFailed")}</p>
      </Show>
      <Show when={qr()}>
        {(q) => (
          <>
            <p class="qr-meta" data-testid="qr-expiry">
              {t("qrValidUntil", { t: timeVN(q().expiresAt) })} ·{" "}
              <span class="countdown" data-testid="qr-countdown">
                {busy() ? t("qrRenewing") : left() > 0 ? mmss(left()) : t("qrExpired")}
              </span>
            </p>
            <p class="muted">{t("qrHint")}</p>
          </>
        )}
      </Show>
      <Show when={!qr() && busy()}>
        <p class="spin">{t("loading")}</p>
      </Show>
      <button type="button" class="btn ghost" onClick={() => void load()} disabled={busy()} data-testid="qr-renew">
        {t("qrRenew")}
      </button>
      <A href="/declare" class="btn" testId="home-declare">
        {t("declareNow")}
      </A>
    </div>
  );
}
