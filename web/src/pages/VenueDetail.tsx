/**
 * One venue, as its door staff and the officers of the area use it: today's counters and
 * colour, checking people in (scan or type), today's visitors, the QR posters and the on-screen
 * code, the venue's details (editable), and the officers' status actions.
 */
import { A, useParams } from "@solidjs/router";
import { Match, Show, Switch, createEffect, createSignal, on, onCleanup } from "solid-js";
import { ApiError, getVenue, type CheckinConfirmation, type Venue, type VenueStatusAction } from "../api";
import { canManageVenue, canModerateVenues } from "../access";
import { areaLabel, ensureAreaNames } from "../adminUnits";
import ErrorBanner from "../components/ErrorBanner";
import Flash, { createFlash } from "../components/Flash";
import Spinner from "../components/Spinner";
import VenueStatusBadge from "../components/VenueStatusBadge";
import { formatDateTime, t } from "../i18n";
import { session } from "../session";
import VenueCheckin from "./VenueCheckin";
import VenueForm, { categoryLabel } from "./VenueForm";
import VenueModeration, { statusChangedMessage } from "./VenueModeration";
import VenueQr from "./VenueQr";
import VenueVisitors, { VisitorCounters } from "./VenueVisitors";
import { createVisitors, hhmm } from "./venues.data";

export default function VenueDetailPage() {
  const params = useParams<{ id: string }>();
  const [venue, setVenue] = createSignal<Venue | null>(null);
  const [loadError, setLoadError] = createSignal<unknown>(null);
  let controller: AbortController | null = null;

  const load = () => {
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    setLoadError(null);
    getVenue(params.id, mine.signal)
      .then((v) => !mine.signal.aborted && setVenue(v))
      .catch((err: unknown) => !mine.signal.aborted && setLoadError(err));
  };
  createEffect(
    on(
      () => params.id,
      () => {
        setVenue(null);
        load();
      },
    ),
  );
  onCleanup(() => controller?.abort());

  const notFound = () => {
    const err = loadError();
    // 400: the id in the address is not a venue id at all.
    return err instanceof ApiError && [400, 403, 404].includes(err.status);
  };

  return (
    <section class="page venue-page" data-testid="venue-page">
      <A href="/venues" class="back-link" data-testid="venue-back">
        ‹ {t("venue.back")}
      </A>
      <Switch>
        <Match when={venue()}>{(v) => <VenueBody venue={v()} onVenue={setVenue} />}</Match>
        <Match when={notFound()}>
          <div class="card narrow" data-testid="venue-not-found">
            <h1>{t("venue.notFound")}</h1>
            <p class="muted">{t("venue.notFoundBody")}</p>
          </div>
        </Match>
        <Match when={loadError()}>
          <ErrorBanner error={loadError()} onRetry={load} />
        </Match>
        <Match when={true}>
          <div class="page-loading">
            <Spinner label={t("common.loading")} />
          </div>
        </Match>
      </Switch>
    </section>
  );
}

function VenueBody(props: { venue: Venue; onVenue: (venue: Venue) => void }) {
  const me = () => session.user()!;
  const v = () => props.venue;
  const manage = () => canManageVenue(me().role);
  const moderate = () => canModerateVenues(me().role);
  const [day, setDay] = createSignal("");
  const visitors = createVisitors(() => v().id, day);
  const flash = createFlash(6000);
  const [actionError, setActionError] = createSignal<unknown>(null);
  const [editing, setEditing] = createSignal(false);

  createEffect(() => ensureAreaNames(v().provinceCode, v().communeCode));

  const onCheckedIn = async (confirmation: CheckinConfirmation) => {
    if (day() !== "") setDay("");
    await visitors.refresh();
    return visitors.items().find((x) => x.id === confirmation.id)?.fullName;
  };

  const onStatus = (updated: Venue, action: VenueStatusAction, from: Venue["status"]) => {
    props.onVenue(updated);
    flash.show(statusChangedMessage(action, updated.name, from));
  };

  const hours = () => {
    const open = hhmm(v().openingTime);
    const close = hhmm(v().closingTime);
    if (!open && !close) return t("venue.noHours");
    return `${open || "…"} – ${close || "…"}`;
  };

  return (
    <>
      <header class="page-head venue-head">
        <div class="venue-head-text">
          <h1 data-testid="venue-name">{v().name}</h1>
          <p class="muted">
            {categoryLabel(v().category)} · {v().address} · {areaLabel(v().provinceCode, v().communeCode)}
          </p>
        </div>
        <div class="head-actions">
          <VenueStatusBadge status={v().status} testId="venue-page-status" />
          <Show when={moderate()}>
            <VenueModeration venue={v()} onChanged={onStatus} onError={setActionError} small />
          </Show>
        </div>
      </header>

      <Flash message={flash.message()} />
      <ErrorBanner error={actionError()} onDismiss={() => setActionError(null)} />
      <Show when={v().status === "pending"}>
        <div class="banner banner-info" data-testid="venue-pending">
          <div class="banner-body">
            <p class="banner-message">{t("venue.pendingNotice")}</p>
          </div>
        </div>
      </Show>
      <Show when={v().status === "suspended"}>
        <div class="banner banner-error" data-testid="venue-suspended">
          <div class="banner-body">
            <p class="banner-message">{t("venue.suspendedNotice")}</p>
            <Show when={v().statusReason}>
              <p class="banner-meta">{t("venue.statusReason", { reason: v().statusReason! })}</p>
            </Show>
          </div>
        </div>
      </Show>

      <div class="venue-grid">
        <div class="venue-main">
          <VisitorCounters visitors={visitors} />
          <Show when={manage()}>
            <section class="card" aria-labelledby="venue-checkin-title">
              <h2 id="venue-checkin-title">{t("venue.checkin.title")}</h2>
              <Show when={v().status === "active"} fallback={<p class="muted">{t("venue.checkin.notActive")}</p>}>
                <VenueCheckin venueId={v().id} onCheckedIn={onCheckedIn} />
              </Show>
            </section>
          </Show>
          <VenueVisitors visitors={visitors} day={day()} onDay={setDay} />
        </div>
        <div class="venue-side">
          {/* Posters and codes are for those who run the venue (health officers only read). */}
          <Show when={manage()}>
            <section class="card" aria-labelledby="venue-qr-title">
              <h2 id="venue-qr-title">{t("venue.qr.title")}</h2>
              <VenueQr venue={v()} canManage={manage()} onRotated={(qrVersion) => props.onVenue({ ...v(), qrVersion })} />
            </section>
          </Show>
          <section class="card" aria-labelledby="venue-details-title" data-testid="venue-details">
            <div class="section-head">
              <h2 id="venue-details-title">{t("venue.details")}</h2>
              <Show when={manage() && !editing()}>
                <button type="button" class="btn btn-small" data-testid="venue-edit" onClick={() => setEditing(true)}>
                  {t("venue.edit")}
                </button>
              </Show>
            </div>
            <Show
              when={editing()}
              fallback={
                <dl class="facts">
                  <div>
                    <dt>{t("venues.form.category")}</dt>
                    <dd>{categoryLabel(v().category)}</dd>
                  </div>
                  <div>
                    <dt>{t("venues.form.address")}</dt>
                    <dd>{v().address}</dd>
                  </div>
                  <div>
                    <dt>{t("home.area")}</dt>
                    <dd>{areaLabel(v().provinceCode, v().communeCode)}</dd>
                  </div>
                  <div>
                    <dt>{t("venues.form.capacity")}</dt>
                    <dd data-testid="venue-capacity">{v().capacity ?? t("venue.noCapacity")}</dd>
                  </div>
                  <div>
                    <dt>{t("venue.hours")}</dt>
                    <dd>{hours()}</dd>
                  </div>
                  <div>
                    <dt>{t("venues.col.status")}</dt>
                    <dd>
                      <VenueStatusBadge status={v().status} testId="venue-details-status" />
                      <Show when={v().statusReason}>
                        <span class="sub muted">{v().statusReason}</span>
                      </Show>
                    </dd>
                  </div>
                  <div>
                    <dt>{t("venue.createdAt")}</dt>
                    <dd>{formatDateTime(v().createdAt)}</dd>
                  </div>
                </dl>
              }
            >
              <VenueForm
                me={me()}
                venue={v()}
                testId="venue-edit-form"
                onCancel={() => setEditing(false)}
                onSaved={(updated) => {
                  props.onVenue(updated);
                  setEditing(false);
                  flash.show(t("venue.saved"));
                }}
              />
            </Show>
          </section>
        </div>
      </div>
    </>
  );
}
