/**
 * Today's visitors of a venue: the big counters (inside now, today) against the capacity, today's
 * confirmation colour for the door staff, and the list (newest first, "load more", a day picker
 * for past days). The data comes from `createVisitors`, owned by the venue page.
 */
import { For, Show } from "solid-js";
import ErrorBanner from "../components/ErrorBanner";
import Spinner from "../components/Spinner";
import { locale, t } from "../i18n";
import { formatDay, formatTime, todayInVietnam, type VisitorsState } from "./venues.data";

export function VisitorCounters(props: { visitors: VisitorsState }) {
  const stats = () => props.visitors.stats();
  const over = () => !!stats()?.overCapacity;
  return (
    <section class="counters-card card" aria-labelledby="venue-counters-title" data-testid="venue-counters">
      <h2 id="venue-counters-title" class="sr-only">
        {t("venue.counters.title")}
      </h2>
      <Show when={over()}>
        <div class="banner banner-error over-alert" role="alert" data-testid="venue-over-capacity-alert">
          <svg class="banner-icon" viewBox="0 0 24 24" aria-hidden="true">
            <path d="M12 2 1 21h22L12 2zm0 5 7.5 12h-15L12 7zm-1 4v4h2v-4h-2zm0 5v2h2v-2h-2z" fill="currentColor" />
          </svg>
          <p class="banner-message">{t("venue.overCapacity", { inside: stats()!.insideNow, capacity: stats()!.capacity ?? 0 })}</p>
        </div>
      </Show>
      <div class="counters">
        <div class="counter" classList={{ "counter-alert": over() }}>
          <span class="counter-label">{t("venue.counter.inside")}</span>
          <span class="counter-value" data-testid="venue-inside-now">
            <Show when={stats()} fallback="–">
              {stats()!.insideNow}
            </Show>
          </span>
          <span class="counter-sub">
            <Show when={stats()?.capacity} fallback={t("venue.noCapacity")}>
              {t("venue.counter.capacity", { n: stats()!.capacity! })}
            </Show>
          </span>
        </div>
        <div class="counter">
          <span class="counter-label">{t("venue.counter.today")}</span>
          <span class="counter-value" data-testid="venue-today-checkins">
            <Show when={stats()} fallback="–">
              {stats()!.todayCheckins}
            </Show>
          </span>
          <span class="counter-sub">{t("venue.counter.checkins")}</span>
        </div>
      </div>
      <Show when={stats()?.colour}>
        {(colour) => (
          <div class="day-colour" data-testid="venue-colour" data-hex={colour().hex}>
            <span class="swatch" style={{ background: colour().hex }} aria-hidden="true" />
            <div>
              <p class="day-colour-name">
                <span class="muted">{t("venue.colour.title")}: </span>
                <strong data-testid="venue-colour-name">{locale() === "vi" ? colour().nameVi : colour().nameEn}</strong>
              </p>
              <p class="small muted">{t("venue.colour.hint")}</p>
            </div>
          </div>
        )}
      </Show>
    </section>
  );
}

export default function VenueVisitors(props: { visitors: VisitorsState; day: string; onDay: (day: string) => void }) {
  const v = () => props.visitors;
  const today = () => todayInVietnam();
  const shownDay = () => props.day || v().stats()?.day || today();
  const live = () => props.day === "";

  return (
    <section class="card visitors-card" aria-labelledby="venue-visitors-title" data-testid="venue-visitors">
      <div class="section-head">
        <div>
          <h2 id="venue-visitors-title">
            {live() ? t("venue.visitors.title") : t("venue.visitors.titleDay", { day: formatDay(shownDay()) })}
          </h2>
          <p class="small muted">
            <Show when={live()} fallback={t("venue.visitors.pastDay")}>
              <span class="live-dot" aria-hidden="true" />
              {t("venue.visitors.live")}
              <Show when={v().updatedAt()}>{(at) => <> · {t("venue.visitors.updated", { time: formatTime(at().toISOString()) })}</>}</Show>
            </Show>
          </p>
        </div>
        <div class="day-picker">
          <label for="venue-visitors-day">{t("venue.visitors.day")}</label>
          <div class="input-row">
            <input
              id="venue-visitors-day"
              type="date"
              max={today()}
              value={shownDay()}
              data-testid="venue-visitors-day"
              onChange={(e) => {
                const value = e.currentTarget.value;
                props.onDay(!value || value === today() ? "" : value);
              }}
            />
            <Show when={!live()}>
              <button type="button" class="btn btn-small" onClick={() => props.onDay("")} data-testid="venue-visitors-today">
                {t("venue.visitors.today")}
              </button>
            </Show>
            <Show when={live()}>
              <button
                type="button"
                class="btn btn-small btn-ghost"
                disabled={v().loading()}
                aria-label={t("venue.visitors.refresh")}
                title={t("venue.visitors.refresh")}
                onClick={() => void v().refresh()}
                data-testid="venue-visitors-refresh"
              >
                <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
                  <path d="M17.7 6.3A8 8 0 1 0 20 12h-2a6 6 0 1 1-1.8-4.2L13 11h7V4l-2.3 2.3z" fill="currentColor" />
                </svg>
              </button>
            </Show>
          </div>
        </div>
      </div>
      <p class="small muted privacy-note">{t("venue.visitors.privacy")}</p>

      <div class="table-wrap" classList={{ stale: v().loading() && !v().loaded() }} aria-busy={v().loading()}>
        <table class="data-table cards-on-phone visitors-table" data-testid="venue-visitors-table">
          <thead>
            <tr>
              <th scope="col">{t("venue.visitors.col.name")}</th>
              <th scope="col">{t("venue.visitors.col.phone")}</th>
              <th scope="col">{t("venue.visitors.col.birthYear")}</th>
              <th scope="col">{t("venue.visitors.col.in")}</th>
              <th scope="col">{t("venue.visitors.col.out")}</th>
            </tr>
          </thead>
          <tbody>
            <For each={v().items()}>
              {(visitor) => (
                <tr data-testid="visitor-row" data-visitor-id={visitor.id} classList={{ "row-inside": visitor.inside }}>
                  <td data-label={t("venue.visitors.col.name")} class="cell-title">
                    <span data-testid="visitor-name">{visitor.fullName}</span>
                    <Show when={visitor.inside}>
                      <span class="tag tag-inside">{t("venue.visitors.inside")}</span>
                    </Show>
                  </td>
                  <td data-label={t("venue.visitors.col.phone")} class="nowrap">
                    <Show when={visitor.phone} fallback={<span class="muted">–</span>}>
                      <a href={`tel:${visitor.phone}`}>{visitor.phone}</a>
                    </Show>
                  </td>
                  <td data-label={t("venue.visitors.col.birthYear")}>{visitor.birthYear ?? "–"}</td>
                  <td data-label={t("venue.visitors.col.in")} class="nowrap">
                    {formatTime(visitor.checkedInAt)}
                  </td>
                  <td data-label={t("venue.visitors.col.out")} class="nowrap">
                    <Show when={visitor.checkedOutAt || visitor.autoCheckout} fallback={<span class="muted">–</span>}>
                      <span>
                        {visitor.checkedOutAt ? formatTime(visitor.checkedOutAt) : ""}
                        <Show when={visitor.autoCheckout}>
                          <span class="tag tag-auto" title={t("venue.visitors.autoHint")} data-testid="visitor-auto">
                            {t("venue.visitors.auto")}
                          </span>
                        </Show>
                      </span>
                    </Show>
                  </td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
        <Show when={v().loading() && v().items().length === 0}>
          <div class="table-empty">
            <Spinner label={t("common.loading")} />
          </div>
        </Show>
        <Show when={v().loaded() && v().items().length === 0}>
          <div class="table-empty muted" data-testid="venue-visitors-empty">
            <p>{t("venue.visitors.empty")}</p>
          </div>
        </Show>
      </div>
      <div class="list-foot">
        <Show when={v().error()}>
          <ErrorBanner error={v().error()} onRetry={() => void v().refresh()} />
        </Show>
        <Show when={v().loaded() && v().items().length > 0}>
          <span class="muted">{t("common.shown", { n: v().items().length })}</span>
        </Show>
        <Show
          when={v().hasMore()}
          fallback={
            <Show when={v().loaded() && v().items().length > 0}>
              <span class="muted">{t("common.end")}</span>
            </Show>
          }
        >
          <button type="button" class="btn" disabled={v().loading()} data-testid="venue-visitors-more" onClick={() => v().loadMore()}>
            <Show when={v().loading()} fallback={t("common.loadMore")}>
              <Spinner inline label={t("common.loading")} />
            </Show>
          </button>
        </Show>
      </div>
    </section>
  );
}
