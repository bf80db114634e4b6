/**
 * The verifier page (/verify): scan a health card's QR or paste its `shc:/` text; the signature,
 * issuer and revocation are checked here in the browser against the keys cached on the last load.
 * The result is a big green VALID with the name, birth date and doses (a vaccination card) or the
 * test, when its sample was taken and its result in its own colour (a test card), or red with the
 * reason.
 */
import { For, Show, createEffect, createSignal, onCleanup } from "solid-js";
import { checkCard, type CardDose, type CardResult, type CardTest } from "./check";
import { lang, reasonText, setLang, t } from "./i18n";
import { cachedKeys, refreshKeys, trustedIssuer, type IssuerKeys } from "./keys";
import { Scanner } from "./Scanner";

const pad = (n: number) => String(n).padStart(2, "0");
/** dd/mm/yyyy of a YYYY-MM-DD (or longer ISO) date, as written on the card. */
const dayText = (iso: string | null | undefined) => {
  const m = iso ? /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso) : null;
  if (!m) return iso ?? "";
  return [m[3], m[2], m[1]].filter(Boolean).join("/");
};
/**
 * "09:30 18/10/2026" of a FHIR dateTime, in Vietnam's time (UTC+7, the issuer's); a bare day as
 * written. Null when the text is no time.
 */
const vnTime = (iso: string | null): { text: string; ms: number | null } | null => {
  if (!iso) return null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(iso)) return { text: dayText(iso), ms: null };
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { text: iso, ms: null };
  const local = new Date(ms + 7 * 3600_000).toISOString();
  return { text: `${local.slice(11, 16)} ${dayText(local.slice(0, 10))}`, ms };
};
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())} ${pad(d.getDate())}/${pad(d.getMonth() + 1)}/${d.getFullYear()}`;
};

type KeyState = { kind: "loading" } | { kind: "fresh"; at: number } | { kind: "cached"; at: number; why: string } | { kind: "none"; why: string };

export function App() {
  const [keys, setKeys] = createSignal<IssuerKeys | null>(cachedKeys());
  const [keyState, setKeyState] = createSignal<KeyState>({ kind: "loading" });
  const [text, setText] = createSignal("");
  const [result, setResult] = createSignal<CardResult>();
  const [busy, setBusy] = createSignal(false);
  const [pasteError, setPasteError] = createSignal("");

  createEffect(() => {
    document.title = t("title");
  });

  async function update() {
    setKeyState({ kind: "loading" });
    try {
      const k = await refreshKeys();
      setKeys(k);
      setKeyState({ kind: "fresh", at: k.fetchedAt });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      const k = cachedKeys();
      setKeys(k);
      setKeyState(k ? { kind: "cached", at: k.fetchedAt, why } : { kind: "none", why });
    }
  }
  void update();
  // Back online: fetch the lists again (a card revoked meanwhile must show as revoked).
  const online = () => void update();
  addEventListener("online", online);
  onCleanup(() => removeEventListener("online", online));

  async function verify(qr: string) {
    const value = qr.trim();
    setPasteError("");
    if (!value) {
      setPasteError(t("pasteEmpty"));
      return;
    }
    setBusy(true);
    try {
      setResult(await checkCard(value, keys()));
    } finally {
      setBusy(false);
    }
    scrollTo(0, 0);
  }

  const again = () => {
    setResult(undefined);
    setText("");
  };

  return (
    <>
      <header class="top">
        <span class="brand">
          <svg viewBox="0 0 32 32" aria-hidden="true">
            <rect width="32" height="32" rx="8" fill="#0b6e4f" />
            <path d="M13 7h6v6h6v6h-6v6h-6v-6H7v-6h6z" fill="#fff" />
          </svg>
          {t("brand")}
        </span>
        <button
          type="button"
          class="chip-btn"
          data-testid="lang-toggle"
          lang={lang() === "vi" ? "en" : "vi"}
          aria-label={lang() === "vi" ? "English" : "Tiếng Việt"}
          onClick={() => setLang(lang() === "vi" ? "en" : "vi")}
        >
          {lang() === "vi" ? "EN" : "VI"}
        </button>
      </header>
      <main class="page">
        <Show
          when={result()}
          fallback={
            <div data-testid="verify-form">
              <h1>{t("title")}</h1>
              <p class="lead">{t("lead")}</p>
              <Scanner onCode={(code) => void verify(code)} />
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  void verify(text());
                }}
                novalidate
              >
                <label for="shc-text">{t("pasteLabel")}</label>
                <textarea id="shc-text" rows={4} spellcheck={false} autocapitalize="off" value={text()} onInput={(e) => setText(e.currentTarget.value)} data-testid="verify-text" />
                <Show when={pasteError()}>
                  <p class="field-error" data-testid="verify-paste-error">
                    {pasteError()}
                  </p>
                </Show>
                <button class="btn" type="submit" disabled={busy()} data-testid="verify-submit">
                  {busy() ? t("checking") : t("check")}
                </button>
              </form>
            </div>
          }
        >
          {(r) => (
            <section class={`result ${r().valid ? "valid" : "invalid"}`} data-testid="verify-result" data-valid={r().valid ? "true" : "false"} data-reason={r().reason ?? ""} data-kind={r().kind} aria-live="polite">
              <div class="verdict">
                <span class="mark" aria-hidden="true">
                  {r().valid ? "✓" : "✕"}
                </span>
                <p class="verdict-word" data-testid="verify-verdict">
                  {r().valid ? t("valid") : t("invalid")}
                </p>
                <p data-testid="verify-reason">{r().valid ? t("validLead") : reasonText(r().reason)}</p>
              </div>
              <Show when={r().name}>
                <dl class="facts">
                  <dt>{t("name")}</dt>
                  <dd class="name" data-testid="verify-name">
                    {r().name}
                  </dd>
                  <Show when={r().birthDate}>
                    <dt>{t("birthDate")}</dt>
                    <dd data-testid="verify-birthdate">{dayText(r().birthDate)}</dd>
                  </Show>
                  <Show when={r().doses.length > 0}>
                    <dt>{t("doses")}</dt>
                    <dd>
                      <ol class="doses" data-testid="verify-doses">
                        <For each={r().doses}>{(d, i) => <DoseLine dose={d} n={i() + 1} />}</For>
                      </ol>
                    </dd>
                  </Show>
                  <Show when={r().tests.length > 0}>
                    <dt>{t("tests")}</dt>
                    <dd>
                      <ul class="tests" data-testid="verify-tests">
                        <For each={r().tests}>{(x) => <TestLine test={x} />}</For>
                      </ul>
                    </dd>
                  </Show>
                  <Show when={r().issuer}>
                    <dt>{t("issuer")}</dt>
                    <dd data-testid="verify-issuer">{r().issuer}</dd>
                  </Show>
                </dl>
              </Show>
              <button type="button" class="btn" onClick={again} data-testid="verify-again">
                {t("again")}
              </button>
            </section>
          )}
        </Show>
        <footer class="keys" data-testid="verify-keys" data-state={keyState().kind}>
          <p>{t("trusted", { iss: trustedIssuer() })}</p>
          <p data-testid="verify-keys-status">
            {(() => {
              const s = keyState();
              if (s.kind === "loading") return t("keysLoading");
              if (s.kind === "fresh") return t("keysUpdated", { t: stamp(s.at) });
              if (s.kind === "cached") return t("keysOffline", { t: stamp(s.at) });
              return t("keysNone");
            })()}
          </p>
          <button type="button" class="link" onClick={() => void update()} disabled={keyState().kind === "loading"} data-testid="verify-keys-refresh">
            {t("keysRefresh")}
          </button>
        </footer>
      </main>
    </>
  );
}

function DoseLine(props: { dose: CardDose; n: number }) {
  const d = props.dose;
  return (
    <li data-testid="verify-dose">
      <strong>{t("dose", { n: props.n })}</strong>
      {d.date ? `: ${dayText(d.date)}` : ""}
      {` · ${d.product}`}
      {d.lot ? ` · ${t("lot", { lot: d.lot })}` : ""}
      {d.performer ? ` · ${d.performer}` : ""}
    </li>
  );
}

/** A test of a card: what test, when the sample was taken (and how long ago), the result in its colour. */
function TestLine(props: { test: CardTest }) {
  const x = props.test;
  const taken = vnTime(x.takenAt);
  const ago = () => {
    if (taken?.ms == null) return "";
    const hours = Math.floor((Date.now() - taken.ms) / 3600_000);
    if (hours < 0) return "";
    return hours < 48 ? t("hoursAgo", { n: hours }) : t("daysAgo", { n: Math.floor(hours / 24) });
  };
  return (
    <li class="test" data-testid="verify-test" data-result={x.result ?? ""} data-test-type={x.testType ?? ""}>
      <p class={`test-result ${x.result ?? "other"}`} data-testid="verify-test-result">
        {x.result ? t(`result.${x.result}`) : t("result.other", { code: x.resultCode ?? "—" })}
      </p>
      <p data-testid="verify-test-type">
        <strong>{x.testType ? t(`testType.${x.testType}`) : t("testType.other", { code: x.code ?? "—" })}</strong>
      </p>
      <Show when={taken}>
        {(w) => (
          <p data-testid="verify-test-taken">
            {w().ms == null ? t("takenDay", { t: w().text }) : t("taken", { t: w().text })}
            {ago() ? ` (${ago()})` : ""}
          </p>
        )}
      </Show>
      <Show when={x.performer}>
        <p class="muted">{t("testedBy", { p: x.performer! })}</p>
      </Show>
    </li>
  );
}
