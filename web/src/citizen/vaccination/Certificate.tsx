/**
 * The vaccination certificate of the citizen or a family member: the SMART Health Card QR (drawn
 * here from the `shc:/` text, byte mode for the prefix and numeric mode for the digits, error
 * correction L, as the specification asks; the QR library loads only on this screen), the name and
 * doses in words, and the PDF and .smart-health-card downloads (fetched with the token).
 */
import { For, Show, createEffect, createSignal, on } from "solid-js";
import { t } from "../i18n";
import { profile } from "../me";
import { query } from "../router";
import { A, dateVN, timeVN } from "../ui";
import { certificate, certificateFile, certificatePdf, myVaccination, saveBlob, type Certificate as Card, type PersonVaccination } from "./api";
import { VaxAlert } from "./words";

export function Certificate() {
  const asked = query().get("personId") ?? "";
  const [card, setCard] = createSignal<Card>();
  const [person, setPerson] = createSignal<PersonVaccination>();
  const [error, setError] = createSignal<unknown>();
  const [drawn, setDrawn] = createSignal(false);
  const [drawFailed, setDrawFailed] = createSignal(false);
  const [downloading, setDownloading] = createSignal<"" | "pdf" | "file">("");
  const [downloadError, setDownloadError] = createSignal<unknown>();
  let canvas: HTMLCanvasElement | undefined;

  certificate(asked || undefined).then(setCard, (e: unknown) => setError(e));
  myVaccination().then(
    (v) => setPerson(v.people.find((p) => p.person.id === (asked || profile()?.personId)) ?? (asked ? undefined : v.people[0])),
    () => undefined,
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

  async function download(kind: "pdf" | "file") {
    if (downloading()) return;
    setDownloading(kind);
    setDownloadError(undefined);
    try {
      const id = asked || undefined;
      const blob = kind === "pdf" ? await certificatePdf(id) : await certificateFile(id);
      saveBlob(blob, kind === "pdf" ? "chung-nhan-tiem-chung.pdf" : "chung-nhan-tiem-chung.smart-health-card");
    } catch (e) {
      setDownloadError(e);
    } finally {
      setDownloading("");
    }
  }

  return (
    <div class="page" data-testid="vax-certificate-page">
      <h1>{t("certTitle")}</h1>
      <p class="lead">{t("certLead")}</p>
      <Show when={person()}>
        {(p) => (
          <div class="card" data-testid="cert-person">
            <p class="title" data-testid="cert-name">
              {p().person.fullName}
              {p().person.birthYear ? ` · ${p().person.birthYear}` : ""}
            </p>
            <ol class="doses">
              <For each={p().doses}>
                {(d) => (
                  <li data-testid="cert-dose">
                    <strong>{t("vaxDose", { n: d.doseNumber })}</strong>: {d.productName} · {dateVN(d.givenOn)} · {t("vaxLot", { lot: d.lotNumber })}
                  </li>
                )}
              </For>
            </ol>
          </div>
        )}
      </Show>
      <VaxAlert error={error()} testId="cert-error" />
      <Show when={!error()}>
        <div class="qr cert-qr" data-testid="cert-qr" data-ready={drawn() ? "true" : "false"}>
          <canvas ref={canvas} width="720" height="720" role="img" aria-label={t("certTitle")} data-testid="cert-qr-canvas" />
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
              <p class="qr-meta" data-testid="cert-issued">
                {t("certIssued", { t: `${timeVN(c().issuedAt)} ${dateVN(c().issuedAt)}` })}
              </p>
              <p class="muted">{t("certHint")}</p>
              <button type="button" class="btn" disabled={downloading() !== ""} onClick={() => void download("pdf")} data-testid="cert-pdf">
                {downloading() === "pdf" ? t("certDownloading") : t("certPdf")}
              </button>
              <button type="button" class="btn ghost" disabled={downloading() !== ""} onClick={() => void download("file")} data-testid="cert-file">
                {downloading() === "file" ? t("certDownloading") : t("certFile")}
              </button>
              <VaxAlert error={downloadError()} testId="cert-download-error" />
              <details class="shc-text">
                <summary>{t("certText")}</summary>
                <textarea readonly rows={4} value={c().qr} onFocus={(e) => e.currentTarget.select()} data-testid="cert-shc" />
              </details>
            </>
          )}
        </Show>
      </Show>
      <A href="/vaccination" class="btn ghost" testId="vax-back">
        {t("vaxBackToList")}
      </A>
    </div>
  );
}
