/**
 * The verifier's camera: frames decoded by BarcodeDetector where the browser has it, else by jsQR
 * (loaded only when the camera is first opened). A health card QR is dense, so frames keep more
 * pixels than the venue scanner's.
 */
import { Show, createSignal, onCleanup } from "solid-js";
import { t, type Key } from "./i18n";

interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): { detect(source: CanvasImageSource): Promise<{ rawValue: string }[]> };
  getSupportedFormats?: () => Promise<string[]>;
}
type Decoder = (video: HTMLVideoElement) => Promise<string | null>;

const JSQR_MAX_SIDE = 1080;
const FRAME_INTERVAL_MS = 200;

async function createDecoder(): Promise<Decoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector) {
    try {
      const formats = Detector.getSupportedFormats ? await Detector.getSupportedFormats() : ["qr_code"];
      if (formats.includes("qr_code")) {
        const detector = new Detector({ formats: ["qr_code"] });
        return async (video) => (await detector.detect(video))[0]?.rawValue ?? null;
      }
    } catch {
      // Present but unusable: jsQR below.
    }
  }
  const { default: jsQR } = await import("jsqr");
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  return async (video) => {
    const w = video.videoWidth;
    const h = video.videoHeight;
    if (!ctx || !w || !h) return null;
    const scale = Math.min(1, JSQR_MAX_SIDE / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" })?.data ?? null;
  };
}

function cameraError(error: unknown): Key {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return "cameraDenied";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NoCamera") return "noCamera";
  if (name === "NotReadableError") return "cameraBusy";
  return "cameraFailed";
}

/** Opens the camera on request; calls `onCode` with the first QR text read and closes it. */
export function Scanner(props: { onCode: (text: string) => void }) {
  let video!: HTMLVideoElement;
  const [state, setState] = createSignal<"off" | "starting" | "on">("off");
  const [error, setError] = createSignal<Key | null>(null);
  let stream: MediaStream | null = null;
  let decoder: Decoder | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let alive = true;

  const stop = () => {
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    if (video) video.srcObject = null;
    setState("off");
  };

  const loop = () => {
    timer = setTimeout(async () => {
      if (!alive || !stream || !decoder) return;
      try {
        if (video.readyState >= 2) {
          const text = await decoder(video);
          if (text) {
            stop();
            props.onCode(text);
            return;
          }
        }
      } catch {
        // An unreadable frame is skipped.
      }
      if (stream) loop();
    }, FRAME_INTERVAL_MS);
  };

  const start = async () => {
    setError(null);
    setState("starting");
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new DOMException("no camera API", "NoCamera");
      const [media, dec] = await Promise.all([
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1280 } }, audio: false }),
        decoder ? Promise.resolve(decoder) : createDecoder(),
      ]);
      decoder = dec;
      if (!alive) {
        media.getTracks().forEach((track) => track.stop());
        return;
      }
      stream = media;
      video.srcObject = media;
      await video.play().catch(() => undefined);
      setState("on");
      loop();
    } catch (err) {
      stop();
      setError(cameraError(err));
    }
  };

  const onHidden = () => {
    if (document.visibilityState === "hidden" && stream) stop();
  };
  document.addEventListener("visibilitychange", onHidden);
  onCleanup(() => {
    alive = false;
    document.removeEventListener("visibilitychange", onHidden);
    stop();
  });

  return (
    <div class="scanner" data-testid="verify-scanner" data-state={state()}>
      <div class="scanner-view" classList={{ live: state() !== "off" }}>
        <video ref={video} playsinline muted autoplay aria-label={t("scan")} />
        <Show when={state() === "on"}>
          <p class="scanner-hint">{t("aim")}</p>
        </Show>
      </div>
      <Show when={error()}>
        <p class="alert" role="alert" data-testid="verify-camera-error">
          {t(error()!)}
        </p>
      </Show>
      <Show
        when={state() === "off"}
        fallback={
          <button type="button" class="btn ghost" disabled={state() === "starting"} onClick={stop} data-testid="verify-camera-stop">
            {state() === "starting" ? t("cameraStarting") : t("stopCamera")}
          </button>
        }
      >
        <button type="button" class="btn" onClick={() => void start()} data-testid="verify-camera-start">
          {t("scan")}
        </button>
      </Show>
    </div>
  );
}
