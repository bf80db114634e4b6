/**
 * The test certificate of a sample (or the latest final result): the test in words (the result in
 * its colour), the SMART Health Card QR drawn from the `shc:/` text (byte mode for the prefix,
 * numeric mode for the digits, error correction L; the QR library loads only on this screen), the
 * text to paste into a verifier, and the PDF (fetched with the token).
 */
import { Show, createEffect, createSignal, on } from "solid-js";
import { t } from "../i18n";
import { query } from "../router";
import { A, dateVN, timeVN } from "../ui";
import { myTests, testCertificate, testCertificatePdf, type TestCertificate as Card } from "./api";
import { TestAlert, statusWord, tone, typeWord, whenVN } from "./words";

export function TestCertificate() {
  const sampleId = query().get("sampleId") ?? undefined;
  const personId = query().get("personId") ?? undefined;
  const [card, setCard] = createSignal<Card>();
  const [name, setName] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const [drawn, setDrawn] = createSignal(false);
  const [drawFailed, setDrawFailed] = createSignal(false);
  const [downloading, setDownloading] = createSignal(false);
  const [downloadError, setDownloadError] = createSignal<unknown>();
  let canvas: HTMLCanvasElement | undefined;

  testCertificate(sampleId, personId).then(
    (c) => {
      setCard(c);
      // The holder's name as the list shows it (the card itself carries it too, inside the QR).
      myTests().then(
        (r) => setName(r.items.find((i) => i.sampleId === c.test.sampleId)?.fullName ?? ""),
        () => undefined,
      );
    },
    (e: unknown) => setError(e),
  );

  createEffect(
    on(card, (c) => {
      if (!c || !canvas) return;
      const target = canvas;
      const digits = c.qr.replace(/^shc:\//, "");
      import("qrcode")
        .then((QR) =>
          QR.toCanvas(
            target,
            [
              { data: new TextEncoder().encode("shc:/"), mode: "byte" },
              { data: digits, mode: "numeric" },
            ],
            { errorCorrectionLevel: "L", margin: 2, width: 720, color: { dark: "#000000", light: "#ffffff" } },
          ),
        )
        .then(() => {
          target.style.width = "";
          target.style.height = "";
          setDrawn(true);
        })
        .catch(() => setDrawFailed(true));
    }),
  );

  async function download() {
    const c = card();
    if (downloading() || !c) return;
    setDownloading(true);
    setDownloadError(undefined);
    try {
      const blob = await testCertificatePdf(c.test.sampleId);
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = "giay-xac-nhan-xet-nghiem.pdf";
      a.rel = "noopener";
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading(false);
    }
  }

  return (
    <div class="page" data-testid="test-certificate-page">
      <h1>{t("tcertTitle")}</h1>
      <p class="lead">{t("tcertLead")}</p>
      <Show when={card()}>
        {(c) => (
          <div class="card" data-testid="tcert-test" data-result={c().test.result}>
            <Show when={name()}>
              <p class="title" data-testid="tcert-name">
                {name()}
              </p>
            </Show>
            <p>
              <strong>{typeWord(c().test.testType)}</strong>
            </p>
            <p>{t("tstTaken", { t: whenVN(c().test.takenAt) })}</p>
            <p class="muted">{c().test.performer}</p>
            <div class={`test-now ${tone(c().test.result)}`} data-testid="tcert-result">
              <span class="test-now-label">{t("tcertResult")}</span>
              <strong class="test-now-word">{statusWord(c().test.result)}</strong>
            </div>
          </div>
        )}
      </Show>
      <TestAlert error={error()} testId="tcert-error" />
      <Show when={!error()}>
        <div class="qr cert-qr" data-testid="tcert-qr" data-ready={drawn() ? "true" : "false"}>
          <canvas ref={canvas} width="720" height="720" role="img" aria-label={t("tcertTitle")} data-testid="tcert-qr-canvas" />
        </div>
        <Show when={!card()}>
          <p class="spin">{t("loading")}</p>
        </Show>
        <Show when={drawFailed()}>
          <p class="alert" role="alert">
            {t("certFailed")}
          </p>
        </Show>
        <Show when={card()}>
          {(c) => (
            <>
              <p class="qr-meta" data-testid="tcert-issued">
                {t("certIssued", { t: `${timeVN(c().issuedAt)} ${dateVN(c().issuedAt)}` })}
              </p>
              <p class="muted">{t("tcertHint")}</p>
              <button type="button" class="btn" disabled={downloading()} onClick={() => void download()} data-testid="tcert-pdf">
                {downloading() ? t("certDownloading") : t("certPdf")}
              </button>
              <TestAlert error={downloadError()} testId="tcert-download-error" />
              <details class="shc-text">
                <summary>{t("certText")}</summary>
                <textarea readonly rows={4} value={c().qr} onFocus={(e) => e.currentTarget.select()} data-testid="tcert-shc" />
              </details>
            </>
          )}
        </Show>
      </Show>
      <A href="/tests" class="btn ghost" testId="tests-back">
        {t("tcertBack")}
      </A>
    </div>
  );
}
