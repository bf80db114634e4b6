/**
 * The door staff's camera: reads a visitor's personal QR from the phone's back camera. Frames
 * are decoded with the browser's BarcodeDetector where it exists (Chrome on Android), else with
 * jsQR, which is loaded only when the camera is first opened.
 */
import { Match, Show, Switch, createSignal, onCleanup, onMount } from "solid-js";
import Spinner from "../components/Spinner";
import { t } from "../i18n";

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?: () => Promise<string[]>;
}

type Decoder = (video: HTMLVideoElement) => Promise<string | null>;

/** Longest side of the frame handed to jsQR: enough for a phone screen held at the counter. */
const JSQR_MAX_SIDE = 720;
/** Time between two decoding attempts. */
const FRAME_INTERVAL_MS = 150;
/** The same code seen again within this time is the same person still in front of the camera. */
const SAME_CODE_MS = 20_000;

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
      // Present but unusable (no platform support): use jsQR.
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

type CameraState = "off" | "starting" | "on" | "error";

function cameraErrorMessage(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotAllowedError" || name === "SecurityError") return t("venue.checkin.cameraDenied");
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "NoCamera") return t("venue.checkin.noCamera");
  if (name === "NotReadableError") return t("venue.checkin.cameraBusy");
  return t("venue.checkin.cameraFailed");
}

export default function VenueScanner(props: {
  /** Called once per code read; scanning pauses until the returned promise settles. */
  onCode: (text: string) => Promise<unknown>;
}) {
  let video!: HTMLVideoElement;
  const [state, setState] = createSignal<CameraState>("off");
  const [error, setError] = createSignal<string | null>(null);
  const [reading, setReading] = createSignal(false);
  let stream: MediaStream | null = null;
  let decoder: Decoder | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = { text: "", at: 0 };
  let alive = true;

  const stop = () => {
    clearTimeout(timer);
    stream?.getTracks().forEach((track) => track.stop());
    stream = null;
    if (video) video.srcObject = null;
    if (state() !== "error") setState("off");
  };

  const loop = () => {
    timer = setTimeout(async () => {
      if (!alive || !stream || !decoder) return;
      try {
        if (video.readyState >= 2 && !reading()) {
          const text = await decoder(video);
          const now = Date.now();
          if (text && stream && !(text === last.text && now - last.at < SAME_CODE_MS)) {
            last = { text, at: now };
            setReading(true);
            try {
              await props.onCode(text);
            } finally {
              last = { text, at: Date.now() };
              setReading(false);
            }
          }
        }
      } catch {
        // A frame that fails to decode is just skipped.
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
        navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }),
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
      setError(cameraErrorMessage(err));
      setState("error");
    }
  };

  onMount(() => {
    // A hidden tab gives the camera back (battery, and the light next to the lens).
    const onHidden = () => {
      if (document.visibilityState === "hidden" && stream) stop();
    };
    document.addEventListener("visibilitychange", onHidden);
    onCleanup(() => document.removeEventListener("visibilitychange", onHidden));
  });
  onCleanup(() => {
    alive = false;
    stop();
  });

  return (
    <div class="scanner" data-testid="venue-scanner" data-state={state()}>
      <div class="scanner-view" classList={{ live: state() === "on" || state() === "starting" }}>
        <video ref={video} class="scanner-video" playsinline muted autoplay aria-label={t("venue.checkin.cameraLabel")} />
        <Show when={state() === "on"}>
          <div class="scanner-frame" aria-hidden="true" />
          <p class="scanner-hint">
            <Show when={reading()} fallback={t("venue.checkin.aim")}>
              <Spinner inline label={t("venue.checkin.sending")} />
            </Show>
          </p>
        </Show>
      </div>
      <Show when={error()}>
        <p class="field-error" role="alert" data-testid="venue-camera-error">
          {error()}
        </p>
      </Show>
      <div class="scanner-actions">
        <Switch>
          <Match when={state() === "on"}>
            <button type="button" class="btn" onClick={stop} data-testid="venue-camera-stop">
              {t("venue.checkin.stopCamera")}
            </button>
          </Match>
          <Match when={state() === "starting"}>
            <button type="button" class="btn" disabled>
              <Spinner inline label={t("venue.checkin.cameraStarting")} />
            </button>
          </Match>
          <Match when={true}>
            <button type="button" class="btn btn-primary" onClick={() => void start()} data-testid="venue-camera-start">
              <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                <path
                  d="M4 4h4V2H2v6h2V4zm12-2v2h4v4h2V2h-6zM4 16H2v6h6v-2H4v-4zm16 4h-4v2h6v-6h-2v4zM7 7h4v4H7V7zm6 0h4v4h-4V7zm-6 6h4v4H7v-4zm8 0h2v2h-2v-2zm-2 2h2v2h-2v-2z"
                  fill="currentColor"
                />
              </svg>
              {t("venue.checkin.startCamera")}
            </button>
          </Match>
        </Switch>
      </div>
    </div>
  );
}
