/**
 * The venue's door display: a full-screen page for a tablet at the entrance, with the venue's
 * name and a QR code that changes every minute (GET /api/venues/{id}/code, valid two minutes),
 * so a photo of it cannot be used elsewhere. It runs for hours unattended: tokens are refreshed
 * by api.ts, a failed renewal keeps the last code on screen and retries, and the screen is kept
 * awake where the browser allows it.
 *
 * It is shown without the portal's layout (routes.ts lists it with the chromeless pages), so it
 * checks the session and the role itself.
 */
import { A, useLocation, useNavigate, useParams } from "@solidjs/router";
import { create as createQr } from "qrcode";
import { Match, Show, Switch, createEffect, createMemo, createSignal, onCleanup, onMount } from "solid-js";
import { ApiError, getScreenCode, getVenue, type Venue } from "../api";
import { canManageVenue } from "../access";
import ErrorBanner from "../components/ErrorBanner";
import LangSwitch from "../components/LangSwitch";
import Logo from "../components/Logo";
import Spinner from "../components/Spinner";
import { errorMessage } from "../errors";
import { t } from "../i18n";
import { loadSession, session } from "../session";
import { localiseVenueError } from "./venues.data";

/** A new code every minute; the server's codes live two minutes, so one failed renewal is harmless. */
const RENEW_MS = 60_000;
/** Retries after a failure: quick at first, then every 30 s. */
const RETRY_MS = [3_000, 5_000, 10_000, 20_000, 30_000];
/** When the device clock disagrees with the server's expiry, assume the documented lifetime. */
const FALLBACK_TTL_MS = 120_000;

export default function VenueDisplayPage() {
  const params = useParams<{ id: string }>();
  const navigate = useNavigate();
  const location = useLocation();

  createEffect(() => {
    if (session.status() === "signedOut") {
      navigate(`/login?${new URLSearchParams({ next: location.pathname }).toString()}`, { replace: true });
    }
  });

  return (
    <div class="display-screen" data-testid="venue-display">
      <Switch
        fallback={
          <div class="display-center">
            <Spinner label={t("common.loading")} />
          </div>
        }
      >
        <Match when={session.status() === "error"}>
          <div class="display-center">
            <ErrorBanner error={session.loadError()} onRetry={() => void loadSession()} />
          </div>
        </Match>
        {/* The venue's staff and the officers who manage it; health officers only read venues. */}
        <Match when={session.user() && !canManageVenue(session.user()!.role)}>
          <div class="display-center">
            <p>{t("error.noAccess")}</p>
            <A href="/" class="btn">
              {t("common.backHome")}
            </A>
          </div>
        </Match>
        <Match when={session.user()}>
          <DisplayScreen venueId={params.id} />
        </Match>
      </Switch>
    </div>
  );
}

interface ShownCode {
  url: string;
  /** Local time (ms) after which the code no longer works. */
  deadline: number;
}

function DisplayScreen(props: { venueId: string }) {
  const [venue, setVenue] = createSignal<Venue | null>(null);
  const [code, setCode] = createSignal<ShownCode | null>(null);
  const [problem, setProblem] = createSignal<unknown>(null);
  const [nextAt, setNextAt] = createSignal(Date.now() + RENEW_MS);
  const [now, setNow] = createSignal(Date.now());
  let renewTimer: ReturnType<typeof setTimeout> | undefined;
  let venueTimer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let lastFetch = 0;
  let alive = true;

  const schedule = (ms: number) => {
    clearTimeout(renewTimer);
    setNextAt(Date.now() + ms);
    renewTimer = setTimeout(() => void renew(), ms);
  };

  async function renew() {
    if (!alive) return;
    clearTimeout(renewTimer);
    lastFetch = Date.now();
    try {
      const fresh = await getScreenCode(props.venueId);
      if (!alive) return;
      let ttl = Date.parse(fresh.expiresAt) - Date.now();
      if (!Number.isFinite(ttl) || ttl <= 5_000 || ttl > 3_600_000) ttl = FALLBACK_TTL_MS;
      setCode({ url: fresh.url, deadline: Date.now() + ttl });
      setProblem(null);
      failures = 0;
      // Renew well before the code expires, even if the server's codes were to live shorter.
      schedule(Math.min(RENEW_MS, Math.max(5_000, ttl / 2)));
    } catch (error) {
      if (!alive) return;
      setProblem(localiseVenueError(error));
      // A venue that is not active (409) or out of reach (403/404) will not change soon.
      const slow = error instanceof ApiError && [403, 404, 409].includes(error.status);
      schedule(slow ? RENEW_MS : RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]!);
      failures++;
    }
  }

  async function loadVenue() {
    try {
      const v = await getVenue(props.venueId);
      if (alive) setVenue(v);
    } catch {
      if (alive) venueTimer = setTimeout(() => void loadVenue(), 15_000);
    }
  }

  // Keep the tablet's screen on (where supported; re-taken when the page is shown again).
  let wakeLock: { release(): Promise<void> } | null = null;
  const keepAwake = async () => {
    try {
      const wl = (navigator as Navigator & { wakeLock?: { request(type: "screen"): Promise<{ release(): Promise<void> }> } }).wakeLock;
      if (wl && document.visibilityState === "visible") wakeLock = await wl.request("screen");
    } catch {
      // Refused (battery saver, no user gesture yet): the screen follows the device settings.
    }
  };

  onMount(() => {
    void loadVenue();
    void renew();
    void keepAwake();
    const clock = setInterval(() => setNow(Date.now()), 1000);
    const onVisible = () => {
      if (document.visibilityState !== "visible") return;
      void keepAwake();
      // Background tabs run timers late; a code older than the renewal period is replaced now.
      if (Date.now() - lastFetch > RENEW_MS - 5_000) void renew();
    };
    document.addEventListener("visibilitychange", onVisible);
    onCleanup(() => {
      alive = false;
      clearInterval(clock);
      clearTimeout(renewTimer);
      clearTimeout(venueTimer);
      document.removeEventListener("visibilitychange", onVisible);
      void wakeLock?.release().catch(() => undefined);
    });
  });

  const expired = () => {
    const c = code();
    return !!c && now() >= c.deadline;
  };
  const secondsLeft = () => Math.max(0, Math.ceil((nextAt() - now()) / 1000));
  const notActive = () => {
    const p = problem();
    return p instanceof ApiError && p.status === 409;
  };
  /** Refused for good (no access, no such venue): say why instead of "connection lost". */
  const refused = () => {
    const p = problem();
    return p instanceof ApiError && [400, 403, 404].includes(p.status);
  };

  const fullscreen = () => {
    const el = document.documentElement;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void el.requestFullscreen?.().catch(() => undefined);
  };

  return (
    <div class="display-layout">
      <header class="display-top">
        <span class="display-brand">
          <Logo size={28} />
          <span class="display-brand-name">{t("app.name")}</span>
        </span>
        <span class="display-tools">
          <LangSwitch />
          <button type="button" class="btn btn-small btn-ghost" onClick={fullscreen} data-testid="display-fullscreen">
            {t("display.fullscreen")}
          </button>
          <A href={`/venues/${encodeURIComponent(props.venueId)}`} class="btn btn-small btn-ghost" data-testid="display-exit">
            {t("display.exit")}
          </A>
        </span>
      </header>

      <main class="display-main">
        <h1 class="display-venue" data-testid="display-venue-name">
          {venue()?.name ?? "\u00a0"}
        </h1>
        <Show when={venue()?.address}>
          <p class="display-address">{venue()!.address}</p>
        </Show>

        <div class="display-qr-box" classList={{ expired: expired() }}>
          <Show
            when={code()}
            fallback={
              <div class="display-qr-placeholder">
                <Show when={problem()} fallback={<Spinner label={t("common.loading")} />}>
                  <p>{notActive() ? t("display.notActive") : errorMessage(problem())}</p>
                </Show>
              </div>
            }
          >
            {(c) => <QrSvg text={c().url} />}
          </Show>
          <Show when={expired()}>
            <div class="display-qr-overlay" role="status">
              {t("display.expired")}
            </div>
          </Show>
        </div>

        <p class="display-instruction" data-testid="display-instruction">
          {t("display.instruction")}
        </p>
        <p class="display-meta" aria-live="off">
          {/* Without any code yet, the box above already says what is wrong. */}
          <Show when={code() || !problem()}>
            <Show
              when={!problem()}
              fallback={
                <span class="display-offline" data-testid="display-offline">
                  {notActive() ? t("display.notActive") : refused() ? errorMessage(problem()) : t("display.retrying", { s: secondsLeft() })}
                </span>
              }
            >
              <span data-testid="display-countdown">{t("display.renewsIn", { s: secondsLeft() })}</span>
            </Show>
          </Show>
        </p>
      </main>
    </div>
  );
}

/** A QR code as crisp SVG, drawn from the module matrix (no canvas, sharp at any size). */
function QrSvg(props: { text: string }) {
  const shape = createMemo(() => {
    const qr = createQr(props.text, { errorCorrectionLevel: "L" });
    const size = qr.modules.size;
    const margin = 2;
    let d = "";
    for (let y = 0; y < size; y++) {
      let x = 0;
      while (x < size) {
        if (!qr.modules.get(y, x)) {
          x++;
          continue;
        }
        const start = x;
        while (x < size && qr.modules.get(y, x)) x++;
        d += `M${start + margin} ${y + margin}h${x - start}v1h-${x - start}z`;
      }
    }
    return { d, box: size + margin * 2 };
  });
  return (
    <svg
      class="display-qr"
      viewBox={`0 0 ${shape().box} ${shape().box}`}
      shape-rendering="crispEdges"
      role="img"
      aria-label={t("display.qrLabel")}
      data-testid="display-qr"
      data-url={props.text}
    >
      <rect width={shape().box} height={shape().box} fill="#fff" />
      <path d={shape().d} fill="#000" />
    </svg>
  );
}
