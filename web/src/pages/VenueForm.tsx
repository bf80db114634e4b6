/**
 * The venue form: register a new venue, or edit one's details. On create the area is the
 * caller's where they have no choice (venue staff: their commune; commune officers: theirs;
 * province officers: a commune of their province). The area of an existing venue is fixed.
 */
import { For, Show, createSignal } from "solid-js";
import {
  ApiError,
  VENUE_CATEGORIES,
  createVenue,
  updateVenue,
  type NewVenue,
  type User,
  type Venue,
  type VenueCategory,
  type VenueFields,
} from "../api";
import { lockedArea } from "../access";
import ErrorBanner from "../components/ErrorBanner";
import Field, { describedBy } from "../components/Field";
import Spinner from "../components/Spinner";
import { CommuneSelect, ProvinceSelect } from "../components/UnitSelect";
import { fieldErrors, fieldName } from "../errors";
import { t } from "../i18n";
import { hhmm } from "./venues.data";

const FIELDS = ["name", "category", "address", "provinceCode", "communeCode", "capacity", "openingTime", "closingTime"] as const;
type FieldName = (typeof FIELDS)[number];
type Errors = Partial<Record<FieldName, string>>;

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

export const categoryLabel = (c: VenueCategory): string => t(`venue.category.${c}`);

/** The area a caller registers venues in without a choice: staff and commune officers their commune. */
function fixedArea(me: User): { provinceCode: string | null; communeCode: string | null } {
  if (me.role === "venue_staff") return { provinceCode: me.provinceCode, communeCode: me.communeCode };
  return lockedArea(me);
}

export default function VenueForm(props: {
  me: User;
  /** The venue to edit; without it the form registers a new one. */
  venue?: Venue;
  onSaved: (venue: Venue) => void;
  onCancel: () => void;
  testId?: string;
}) {
  const editing = () => !!props.venue;
  const locked = () => fixedArea(props.me);
  const v = props.venue;

  const [name, setName] = createSignal(v?.name ?? "");
  const [category, setCategory] = createSignal<VenueCategory | "">(v?.category ?? "");
  const [address, setAddress] = createSignal(v?.address ?? "");
  const [provinceCode, setProvinceCode] = createSignal(v?.provinceCode ?? locked().provinceCode ?? "");
  const [communeCode, setCommuneCode] = createSignal(v?.communeCode ?? locked().communeCode ?? "");
  const [capacity, setCapacity] = createSignal(v?.capacity != null ? String(v.capacity) : "");
  const [openingTime, setOpeningTime] = createSignal(hhmm(v?.openingTime));
  const [closingTime, setClosingTime] = createSignal(hhmm(v?.closingTime));
  const [errors, setErrors] = createSignal<Errors>({});
  const [failure, setFailure] = createSignal<unknown>(null);
  const [saving, setSaving] = createSignal(false);

  const id = (f: FieldName) => `venue-form-${f}`;
  const err = (f: FieldName) => errors()[f];
  const clearError = (f: FieldName) => {
    if (errors()[f]) setErrors(({ [f]: _, ...rest }) => rest);
  };

  const validate = (): Errors => {
    const found: Errors = {};
    if (!name().trim()) found.name = t("common.required");
    if (!category()) found.category = t("common.requiredSelect");
    if (!address().trim()) found.address = t("common.required");
    if (!editing()) {
      if (!provinceCode()) found.provinceCode = t("common.requiredSelect");
      if (!communeCode()) found.communeCode = t("common.requiredSelect");
    }
    const cap = capacity().trim();
    if (cap && !(/^\d+$/.test(cap) && Number(cap) > 0)) found.capacity = t("venues.form.capacityInvalid");
    if (openingTime() && !TIME.test(openingTime())) found.openingTime = t("venues.form.timeInvalid");
    if (closingTime() && !TIME.test(closingTime())) found.closingTime = t("venues.form.timeInvalid");
    return found;
  };

  const fields = (): VenueFields => ({
    name: name().trim(),
    category: category() as VenueCategory,
    address: address().trim(),
    capacity: capacity().trim() ? Number(capacity().trim()) : null,
    openingTime: openingTime() || null,
    closingTime: closingTime() || null,
  });

  /** For an edit, only what changed (a cleared field is sent as null). */
  const changes = (venue: Venue): Partial<VenueFields> => {
    const next = fields();
    const patch: Partial<VenueFields> = {};
    if (next.name !== venue.name) patch.name = next.name;
    if (next.category !== venue.category) patch.category = next.category;
    if (next.address !== venue.address) patch.address = next.address;
    if (next.capacity !== venue.capacity) patch.capacity = next.capacity ?? null;
    if ((next.openingTime ?? "") !== hhmm(venue.openingTime)) patch.openingTime = next.openingTime ?? null;
    if ((next.closingTime ?? "") !== hhmm(venue.closingTime)) patch.closingTime = next.closingTime ?? null;
    return patch;
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setFailure(null);
    const found = validate();
    setErrors(found);
    if (Object.keys(found).length > 0) {
      document.getElementById(id(Object.keys(found)[0] as FieldName))?.focus();
      return;
    }
    setSaving(true);
    try {
      let saved: Venue;
      if (props.venue) {
        const patch = changes(props.venue);
        saved = Object.keys(patch).length > 0 ? await updateVenue(props.venue.id, patch) : props.venue;
      } else {
        const { capacity: cap, openingTime: open, closingTime: close, ...required } = fields();
        const input: NewVenue = { ...required, provinceCode: provinceCode(), communeCode: communeCode() };
        if (cap != null) input.capacity = cap;
        if (open) input.openingTime = open;
        if (close) input.closingTime = close;
        saved = await createVenue(input);
      }
      props.onSaved(saved);
    } catch (error) {
      const fromServer = fieldErrors(error) as Errors;
      setErrors(fromServer);
      const shownByFields =
        error instanceof ApiError &&
        error.status === 400 &&
        error.details.length > 0 &&
        error.details.every((d) => (FIELDS as readonly string[]).includes(fieldName(d.path)));
      setFailure(shownByFields ? null : error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="form form-grid" onSubmit={submit} noValidate data-testid={props.testId ?? "venue-form"}>
      <ErrorBanner error={failure()} handledFields={FIELDS} testId="venue-form-error" />
      <Field id={id("name")} label={t("venues.form.name")} error={err("name")} required class="span-2">
        <input
          id={id("name")}
          value={name()}
          maxLength={200}
          autocomplete="off"
          onInput={(e) => {
            setName(e.currentTarget.value);
            clearError("name");
          }}
          aria-invalid={err("name") ? "true" : undefined}
          aria-describedby={describedBy(id("name"), err("name"))}
          data-testid="venue-form-name"
        />
      </Field>
      <Field id={id("category")} label={t("venues.form.category")} error={err("category")} required>
        <select
          id={id("category")}
          value={category()}
          onChange={(e) => {
            setCategory(e.currentTarget.value as VenueCategory);
            clearError("category");
          }}
          aria-invalid={err("category") ? "true" : undefined}
          aria-describedby={describedBy(id("category"), err("category"))}
          data-testid="venue-form-category"
        >
          <option value="" selected={category() === ""}>
            {t("venues.form.chooseCategory")}
          </option>
          <For each={VENUE_CATEGORIES}>
            {(c) => (
              <option value={c} selected={c === category()}>
                {categoryLabel(c)}
              </option>
            )}
          </For>
        </select>
      </Field>
      <Field id={id("capacity")} label={t("venues.form.capacity")} error={err("capacity")} hint={t("venues.form.capacityHint")}>
        <input
          id={id("capacity")}
          type="number"
          inputmode="numeric"
          min="1"
          step="1"
          value={capacity()}
          onInput={(e) => {
            setCapacity(e.currentTarget.value);
            clearError("capacity");
          }}
          aria-invalid={err("capacity") ? "true" : undefined}
          aria-describedby={describedBy(id("capacity"), err("capacity"), true)}
          data-testid="venue-form-capacity"
        />
      </Field>
      <Field id={id("address")} label={t("venues.form.address")} error={err("address")} required class="span-2">
        <input
          id={id("address")}
          value={address()}
          maxLength={300}
          autocomplete="off"
          onInput={(e) => {
            setAddress(e.currentTarget.value);
            clearError("address");
          }}
          aria-invalid={err("address") ? "true" : undefined}
          aria-describedby={describedBy(id("address"), err("address"))}
          data-testid="venue-form-address"
        />
      </Field>
      <Show when={!editing()}>
        <Field id={id("provinceCode")} label={t("area.province")} error={err("provinceCode")} required>
          <ProvinceSelect
            id={id("provinceCode")}
            value={provinceCode()}
            emptyLabel={t("area.chooseProvince")}
            disabled={!!locked().provinceCode}
            invalid={!!err("provinceCode")}
            describedBy={describedBy(id("provinceCode"), err("provinceCode"))}
            testId="venue-form-province"
            onChange={(code) => {
              setProvinceCode(code);
              setCommuneCode("");
              clearError("provinceCode");
            }}
          />
        </Field>
        <Field id={id("communeCode")} label={t("area.commune")} error={err("communeCode")} required>
          <CommuneSelect
            id={id("communeCode")}
            provinceCode={provinceCode()}
            value={communeCode()}
            emptyLabel={t("area.chooseCommune")}
            disabled={!!locked().communeCode}
            invalid={!!err("communeCode")}
            describedBy={describedBy(id("communeCode"), err("communeCode"))}
            testId="venue-form-commune"
            onChange={(code) => {
              setCommuneCode(code);
              clearError("communeCode");
            }}
          />
        </Field>
      </Show>
      <Field id={id("openingTime")} label={t("venues.form.openingTime")} error={err("openingTime")}>
        <input
          id={id("openingTime")}
          type="time"
          value={openingTime()}
          onInput={(e) => {
            setOpeningTime(e.currentTarget.value);
            clearError("openingTime");
          }}
          aria-invalid={err("openingTime") ? "true" : undefined}
          aria-describedby={describedBy(id("openingTime"), err("openingTime"))}
          data-testid="venue-form-openingTime"
        />
      </Field>
      <Field id={id("closingTime")} label={t("venues.form.closingTime")} error={err("closingTime")} hint={t("venues.form.hoursHint")}>
        <input
          id={id("closingTime")}
          type="time"
          value={closingTime()}
          onInput={(e) => {
            setClosingTime(e.currentTarget.value);
            clearError("closingTime");
          }}
          aria-invalid={err("closingTime") ? "true" : undefined}
          aria-describedby={describedBy(id("closingTime"), err("closingTime"), true)}
          data-testid="venue-form-closingTime"
        />
      </Field>
      <Show when={!editing() && props.me.role === "venue_staff"}>
        <p class="form-note muted">{t("venues.form.staffNote")}</p>
      </Show>
      <div class="form-actions">
        <button type="button" class="btn btn-ghost" onClick={() => props.onCancel()}>
          {t("common.cancel")}
        </button>
        <button type="submit" class="btn btn-primary" disabled={saving()} data-testid="venue-form-submit">
          <Show when={saving()} fallback={editing() ? t("common.save") : t("venues.create.submit")}>
            <Spinner inline label={t("common.saving")} />
          </Show>
        </button>
      </div>
    </form>
  );
}
