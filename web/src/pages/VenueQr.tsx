/**
 * The venue's QR code: poster downloads (PDF A4/A5, PNG, SVG; fetched with the bearer token and
 * saved through an object URL), rotating the code (old posters stop working), and the link to
 * the on-screen rotating code for a tablet at the door.
 */
import { For, Show, createSignal, onCleanup } from "solid-js";
import { downloadPoster, rotateVenueCode, type PosterFormat, type Venue } from "../api";
import Dialog from "../components/Dialog";
import ErrorBanner from "../components/ErrorBanner";
import Spinner from "../components/Spinner";
import { t, type MessageKey } from "../i18n";
import { localiseVenueError, saveBlob, slug } from "./venues.data";

const FORMATS: { format: PosterFormat; label: MessageKey; ext: string; hint: MessageKey }[] = [
  { format: "pdf-a4", label: "venue.qr.pdfA4", ext: "A4.pdf", hint: "venue.qr.pdfA4Hint" },
  { format: "pdf-a5", label: "venue.qr.pdfA5", ext: "A5.pdf", hint: "venue.qr.pdfA5Hint" },
  { format: "png", label: "venue.qr.png", ext: "png", hint: "venue.qr.pngHint" },
  { format: "svg", label: "venue.qr.svg", ext: "svg", hint: "venue.qr.svgHint" },
];

/** How long a saved file's object URL stays valid for the "save again" link. */
const URL_LIFETIME_MS = 5 * 60_000;

export default function VenueQr(props: {
  venue: Venue;
  canManage: boolean;
  onRotated: (qrVersion: number) => void;
}) {
  const [busy, setBusy] = createSignal<PosterFormat | null>(null);
  const [error, setError] = createSignal<unknown>(null);
  const [saved, setSaved] = createSignal<{ url: string; filename: string } | null>(null);
  const [confirmRotate, setConfirmRotate] = createSignal(false);
  const [rotating, setRotating] = createSignal(false);
  const [rotateError, setRotateError] = createSignal<unknown>(null);
  const [rotatedNotice, setRotatedNotice] = createSignal(false);
  const urls: string[] = [];
  let revokeTimer: ReturnType<typeof setTimeout> | undefined;

  onCleanup(() => {
    clearTimeout(revokeTimer);
    urls.forEach((u) => URL.revokeObjectURL(u));
  });

  const download = async (format: PosterFormat, ext: string) => {
    setBusy(format);
    setError(null);
    try {
      const file = await downloadPoster(props.venue.id, format);
      const filename = file.filename ?? `qr-${slug(props.venue.name)}-v${props.venue.qrVersion}.${ext}`;
      const url = saveBlob(file.blob, filename);
      urls.push(url);
      setSaved({ url, filename });
      clearTimeout(revokeTimer);
      revokeTimer = setTimeout(() => {
        urls.splice(0).forEach((u) => URL.revokeObjectURL(u));
        setSaved(null);
      }, URL_LIFETIME_MS);
    } catch (err) {
      setError(localiseVenueError(err));
    } finally {
      setBusy(null);
    }
  };

  const rotate = async () => {
    setRotating(true);
    setRotateError(null);
    try {
      const { qrVersion } = await rotateVenueCode(props.venue.id);
      setConfirmRotate(false);
      setSaved(null);
      setRotatedNotice(true);
      props.onRotated(qrVersion);
    } catch (err) {
      setRotateError(localiseVenueError(err));
    } finally {
      setRotating(false);
    }
  };

  const active = () => props.venue.status === "active";

  return (
    <div class="venue-qr" data-testid="venue-qr">
      <Show
        when={active()}
        fallback={
          <div class="banner banner-info" data-testid="venue-qr-unavailable">
            <div class="banner-body">
              <p class="banner-message">
                {props.venue.status === "pending" ? t("venue.qr.afterApproval") : t("venue.qr.whileSuspended")}
              </p>
            </div>
          </div>
        }
      >
        <p class="muted small">{t("venue.qr.lead")}</p>
        <Show when={rotatedNotice()}>
          <div class="banner banner-success" role="status" data-testid="venue-qr-rotated">
            <div class="banner-body">
              <p class="banner-message">{t("venue.qr.rotated")}</p>
            </div>
            <div class="banner-actions">
              <button type="button" class="icon-btn" aria-label={t("error.dismiss")} onClick={() => setRotatedNotice(false)}>
                ×
              </button>
            </div>
          </div>
        </Show>
        <div class="poster-grid">
          <For each={FORMATS}>
            {(f) => (
              <button
                type="button"
                class="poster-btn"
                disabled={busy() !== null}
                data-testid={`venue-poster-${f.format}`}
                onClick={() => void download(f.format, f.ext)}
              >
                <span class="poster-icon" aria-hidden="true">
                  <Show when={busy() === f.format} fallback={f.format.startsWith("pdf") ? "PDF" : f.format.toUpperCase()}>
                    <Spinner inline />
                  </Show>
                </span>
                <span class="poster-text">
                  <strong>{t(f.label)}</strong>
                  <span class="muted">{t(f.hint)}</span>
                </span>
              </button>
            )}
          </For>
        </div>
        <ErrorBanner error={error()} onDismiss={() => setError(null)} testId="venue-poster-error" />
        <Show when={saved()}>
          {(file) => (
            <p class="small muted" data-testid="venue-poster-saved">
              {t("venue.qr.downloaded", { file: file().filename })}{" "}
              <a href={file().url} download={file().filename}>
                {t("venue.qr.saveAgain")}
              </a>
            </p>
          )}
        </Show>
        <p class="small muted">{t("venue.qr.version", { n: props.venue.qrVersion })}</p>

        <div class="qr-more">
          <a class="btn" href={`/venues/${encodeURIComponent(props.venue.id)}/display`} target="_blank" rel="noopener" data-testid="venue-display-link">
            <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
              <path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2h-6v2h3v2H7v-2h3v-2H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm0 2v10h16V6H4z" fill="currentColor" />
            </svg>
            {t("venue.qr.display")}
          </a>
          <Show when={props.canManage}>
            <button type="button" class="btn btn-danger-ghost" data-testid="venue-rotate" onClick={() => setConfirmRotate(true)}>
              {t("venue.qr.rotate")}
            </button>
          </Show>
        </div>
        <p class="small muted">{t("venue.qr.displayHint")}</p>
      </Show>

      <Show when={confirmRotate()}>
        <Dialog title={t("venue.qr.rotateTitle")} onClose={() => setConfirmRotate(false)} testId="venue-rotate-dialog">
          <p>{t("venue.qr.rotateBody")}</p>
          <ErrorBanner error={rotateError()} />
          <div class="form-actions">
            <button type="button" class="btn btn-ghost" onClick={() => setConfirmRotate(false)}>
              {t("common.cancel")}
            </button>
            <button type="button" class="btn btn-danger" disabled={rotating()} data-testid="venue-rotate-ok" onClick={() => void rotate()}>
              <Show when={rotating()} fallback={t("venue.qr.rotateConfirm")}>
                <Spinner inline />
              </Show>
            </button>
          </div>
        </Dialog>
      </Show>
    </div>
  );
}
