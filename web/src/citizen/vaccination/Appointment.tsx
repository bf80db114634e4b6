/**
 * One appointment with its QR (PHC-APT:<code>), drawn by the server as SVG and fetched with the
 * citizen's token, shown big enough for the site's camera to read from the phone's screen.
 */
import { Show, createSignal, onCleanup } from "solid-js";
import { t, tx } from "../i18n";
import { query } from "../router";
import { A } from "../ui";
import { appointmentQr, myAppointments, type Appointment } from "./api";
import { slotWhen } from "./Vaccination";
import { VaxAlert } from "./words";

/** Newest first: the appointment looked at is almost always on the first page. */
async function findAppointment(id: string): Promise<Appointment | undefined> {
  let cursor: string | null | undefined = null;
  for (let i = 0; i < 10; i++) {
    const page = await myAppointments(cursor);
    const found = page.items.find((a) => a.id === id);
    if (found || !page.nextCursor) return found;
    cursor = page.nextCursor;
  }
  return undefined;
}

export function AppointmentQr() {
  const id = query().get("id") ?? "";
  const [appointment, setAppointment] = createSignal<Appointment>();
  const [missing, setMissing] = createSignal(false);
  const [src, setSrc] = createSignal("");
  const [error, setError] = createSignal<unknown>();
  const [qrError, setQrError] = createSignal<unknown>();
  let url = "";
  onCleanup(() => url && URL.revokeObjectURL(url));

  findAppointment(id).then(
    (a) => (a ? setAppointment(a) : setMissing(true)),
    (e: unknown) => setError(e),
  );
  appointmentQr(id).then(
    (blob) => {
      url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: "image/svg+xml" }));
      setSrc(url);
    },
    (e: unknown) => setQrError(e),
  );

  return (
    <div class="page" data-testid="vax-appointment-page" data-id={id}>
      <h1>{t("vaxAppointmentTitle")}</h1>
      <VaxAlert error={error()} />
      <Show when={missing()}>
        <p class="alert" role="alert">
          {t("notFound")}
        </p>
      </Show>
      <Show when={appointment()}>
        {(a) => (
          <div class="card" data-testid="vax-appointment-detail" data-status={a().status}>
            <p class="title">
              {a().personName} · {t("vaxDose", { n: a().doseNumber })}
            </p>
            <p>
              <span class="pill">{tx("apt", a().status)}</span>
            </p>
            <Show when={a().siteName}>
              <p data-testid="vax-appointment-site">{a().siteName}</p>
            </Show>
            <Show when={a().slot}>{(s) => <p data-testid="vax-appointment-when">{slotWhen(s())}</p>}</Show>
          </div>
        )}
      </Show>
      <Show when={src()} fallback={<Show when={!qrError()}><p class="spin">{t("loading")}</p></Show>}>
        <div class="qr apt-qr" data-testid="vax-appointment-qr-box">
          <img src={src()} alt={t("vaxShowQr")} data-testid="vax-appointment-qr-img" />
        </div>
        <p class="qr-meta">{t("vaxQrHint")}</p>
        <Show when={appointment()?.code}>
          <p class="qr-meta" data-testid="vax-appointment-code">
            {t("vaxCode", { code: appointment()!.code! })}
          </p>
        </Show>
      </Show>
      <Show when={qrError()}>
        <p class="alert" role="alert" data-testid="vax-qr-error">
          {t("vaxQrFailed")}
        </p>
      </Show>
      <A href="/vaccination" class="btn ghost" testId="vax-back">
        {t("vaxBackToList")}
      </A>
    </div>
  );
}
