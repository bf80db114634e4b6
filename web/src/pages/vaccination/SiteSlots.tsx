/**
 * A site's bookable slots: publish a day (from, to, minutes per slot, places per slot, the
 * product given), see the next two weeks day by day with the places booked, delete a slot no
 * one has booked.
 */
import { For, Show, createMemo, createResource, createSignal } from "solid-js";
import ErrorBanner from "../../components/ErrorBanner";
import Flash, { createFlash } from "../../components/Flash";
import Spinner from "../../components/Spinner";
import { t } from "../../i18n";
import { addDays } from "../declarations/format";
import { formatDay, formatTime, todayInVietnam } from "../venues.data";
import { Input, Select, Submit, createErrors, serverFieldErrors } from "./form";
import { deleteSlot, listSlots, publishSlots, type SiteDetail, type Slot } from "./vaccination.api";
import { formatCount, loadProducts, localised, minutesOf } from "./vaccination.data";

const SHOWN_DAYS = 14;
const FIELDS = ["day", "startTime", "endTime", "slotMinutes", "capacityPerSlot", "productCode"] as const;
type F = (typeof FIELDS)[number];

/** The Vietnam day of an instant (slots start in Vietnam time). */
const dayOf = (iso: string) => todayInVietnam(new Date(iso));

export default function SiteSlots(props: { site: SiteDetail; canPublish: boolean }) {
  const today = todayInVietnam();
  const [slots, { refetch, mutate }] = createResource(
    () => props.site.id,
    (id) => listSlots(id, { from: today, to: addDays(today, SHOWN_DAYS) }).then((r) => r.items),
  );
  const byDay = createMemo(() => {
    const groups = new Map<string, Slot[]>();
    for (const s of [...(slots() ?? [])].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const day = dayOf(s.startsAt);
      groups.set(day, [...(groups.get(day) ?? []), s]);
    }
    return [...groups.entries()];
  });
  const flash = createFlash();
  const [deleting, setDeleting] = createSignal<string | null>(null);
  const [deleteError, setDeleteError] = createSignal<unknown>(null);

  const remove = async (slot: Slot) => {
    setDeleting(slot.id);
    setDeleteError(null);
    try {
      await deleteSlot(slot.id);
      mutate((items) => (items ?? []).filter((s) => s.id !== slot.id));
      flash.show(t("vacc.slots.deleted"));
    } catch (error) {
      setDeleteError(localised(error));
    } finally {
      setDeleting(null);
    }
  };

  return (
    <div class="vacc-slots" data-testid="vacc-site-slots">
      <Show when={props.canPublish}>
        <PublishForm
          site={props.site}
          onPublished={(items) => {
            mutate((prev) => [...(prev ?? []), ...items]);
            flash.show(t("vacc.slots.published", { n: items.length }));
          }}
        />
      </Show>
      <Flash message={flash.message()} />
      <section class="card" aria-labelledby="vacc-slots-title">
        <h2 id="vacc-slots-title">{t("vacc.slots.title", { n: SHOWN_DAYS })}</h2>
        <ErrorBanner error={deleteError()} onDismiss={() => setDeleteError(null)} testId="vacc-slots-error" />
        <Show when={slots.error}>
          <ErrorBanner error={slots.error} onRetry={() => void refetch()} />
        </Show>
        <Show when={slots.loading && !slots.latest}>
          <Spinner label={t("common.loading")} />
        </Show>
        <Show when={slots.latest && byDay().length === 0}>
          <p class="muted" data-testid="vacc-slots-empty">
            {t("vacc.slots.empty")}
          </p>
        </Show>
        <div class="vacc-slot-days">
          <For each={byDay()}>
            {([day, items]) => (
              <div class="vacc-slot-day" data-testid="vacc-slot-day" data-day={day}>
                <h3>
                  {formatDay(day)}
                  <span class="muted small">
                    {" "}
                    · {t("vacc.slots.dayTotal", { booked: items.reduce((n, s) => n + s.booked, 0), capacity: items.reduce((n, s) => n + s.capacity, 0) })}
                  </span>
                </h3>
                <ul class="vacc-slot-list">
                  <For each={items}>
                    {(slot) => (
                      <li class="vacc-slot" data-testid="vacc-slot" data-slot-id={slot.id} classList={{ full: slot.free <= 0 }}>
                        <span class="vacc-slot-time">
                          {formatTime(slot.startsAt)}–{formatTime(slot.endsAt)}
                        </span>
                        <Show when={slot.productCode}>
                          <span class="tag">{slot.productCode}</span>
                        </Show>
                        <span class="vacc-slot-count" data-testid="vacc-slot-count">
                          {t("vacc.slots.booked", { booked: formatCount(slot.booked), capacity: formatCount(slot.capacity) })}
                        </span>
                        <Show when={props.canPublish && slot.booked === 0}>
                          <button
                            type="button"
                            class="btn btn-small btn-danger-ghost"
                            disabled={deleting() === slot.id}
                            aria-label={t("vacc.slots.deleteLabel", { time: formatTime(slot.startsAt) })}
                            onClick={() => void remove(slot)}
                            data-testid="vacc-slot-delete"
                          >
                            {t("vacc.slots.delete")}
                          </button>
                        </Show>
                      </li>
                    )}
                  </For>
                </ul>
              </div>
            )}
          </For>
        </div>
      </section>
    </div>
  );
}

function PublishForm(props: { site: SiteDetail; onPublished: (slots: Slot[]) => void }) {
  const today = todayInVietnam();
  const [day, setDay] = createSignal(today);
  const [startTime, setStartTime] = createSignal("08:00");
  const [endTime, setEndTime] = createSignal("11:30");
  const [slotMinutes, setSlotMinutes] = createSignal("30");
  const [capacity, setCapacity] = createSignal("20");
  const [productCode, setProductCode] = createSignal("");
  const [products] = createResource(loadProducts);
  const errors = createErrors<F>();
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);
  const id = (f: F) => `vacc-publish-${f}`;

  /** How many places the day would offer, to compare with the site's capacity per day. */
  const places = () => {
    const from = minutesOf(startTime());
    const to = minutesOf(endTime());
    const step = Number(slotMinutes());
    const cap = Number(capacity());
    if (from === null || to === null || !(step > 0) || !(cap > 0) || to <= from) return null;
    // As the server cuts the day: the last slot may be shorter.
    return Math.ceil((to - from) / step) * cap;
  };

  const validate = () => {
    const found: Partial<Record<F, string>> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day())) found.day = t("common.required");
    else if (day() < today) found.day = t("vacc.slots.pastDay");
    const from = minutesOf(startTime());
    const to = minutesOf(endTime());
    if (from === null) found.startTime = t("vacc.slots.timeInvalid");
    if (to === null) found.endTime = t("vacc.slots.timeInvalid");
    else if (from !== null && to <= from) found.endTime = t("vacc.slots.endBeforeStart");
    if (!/^\d+$/.test(slotMinutes()) || Number(slotMinutes()) < 5) found.slotMinutes = t("vacc.slots.minutesInvalid");
    if (!/^\d+$/.test(capacity()) || Number(capacity()) < 1) found.capacityPerSlot = t("vacc.slots.capacityInvalid");
    return found;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    errors.set(validate());
    if (errors.any()) return errors.focusFirst("vacc-publish");
    setSaving(true);
    try {
      const res = await publishSlots(props.site.id, {
        day: day(),
        startTime: startTime(),
        endTime: endTime(),
        slotMinutes: Number(slotMinutes()),
        capacityPerSlot: Number(capacity()),
        ...(productCode() ? { productCode: productCode() } : {}),
      });
      props.onPublished(res.items);
    } catch (error) {
      const { byField, rest } = serverFieldErrors(error, FIELDS);
      errors.set(byField);
      setFailure(rest ? localised(error) : null);
    } finally {
      setSaving(false);
    }
  };

  const set = (f: F, setter: (v: string) => void) => (v: string) => {
    setter(v);
    errors.clear(f);
  };

  return (
    <section class="card" aria-labelledby="vacc-publish-title">
      <h2 id="vacc-publish-title">{t("vacc.slots.publish")}</h2>
      <form class="form form-grid vacc-publish" onSubmit={submit} noValidate data-testid="vacc-publish-form">
        <ErrorBanner error={failure()} handledFields={FIELDS} testId="vacc-publish-error" />
        <Input id={id("day")} type="date" label={t("vacc.slots.day")} min={today} value={day()} required error={errors.get("day")} onInput={set("day", setDay)} />
        <Select
          id={id("productCode")}
          label={t("vacc.slots.product")}
          value={productCode()}
          emptyLabel={t("vacc.slots.anyProduct")}
          choices={(products() ?? []).filter((p) => p.active).map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))}
          error={errors.get("productCode")}
          onInput={set("productCode", setProductCode)}
        />
        <Input id={id("startTime")} type="time" label={t("vacc.slots.start")} value={startTime()} required error={errors.get("startTime")} onInput={set("startTime", setStartTime)} />
        <Input id={id("endTime")} type="time" label={t("vacc.slots.end")} value={endTime()} required error={errors.get("endTime")} onInput={set("endTime", setEndTime)} />
        <Input
          id={id("slotMinutes")}
          type="number"
          inputmode="numeric"
          min={5}
          step={5}
          label={t("vacc.slots.minutes")}
          value={slotMinutes()}
          required
          error={errors.get("slotMinutes")}
          onInput={set("slotMinutes", setSlotMinutes)}
        />
        <Input
          id={id("capacityPerSlot")}
          type="number"
          inputmode="numeric"
          min={1}
          label={t("vacc.slots.capacity")}
          value={capacity()}
          required
          error={errors.get("capacityPerSlot")}
          onInput={set("capacityPerSlot", setCapacity)}
        />
        <p class="form-note muted small span-2" data-testid="vacc-publish-places">
          <Show when={places() !== null} fallback={t("vacc.slots.placesUnknown")}>
            {t("vacc.slots.places", { n: formatCount(places()), max: formatCount(props.site.capacityPerDay) })}
          </Show>
        </p>
        <div class="form-actions">
          <Submit busy={saving()} label={t("vacc.slots.publishSubmit")} busyLabel={t("common.saving")} testId="vacc-publish-submit" />
        </div>
      </form>
    </section>
  );
}
