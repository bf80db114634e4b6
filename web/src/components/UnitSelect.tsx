/**
 * Province and commune pickers fed by /api/admin-units (cached for the session). Options carry
 * `selected` themselves, so a value set before the list arrives is shown once it does.
 */
import { For, Show, createEffect, createSignal, on } from "solid-js";
import type { AdminUnit } from "../api";
import { loadCommunes, loadProvinces } from "../adminUnits";
import { t } from "../i18n";

interface UnitSelectProps {
  id: string;
  value: string;
  onChange: (code: string) => void;
  /** Label of the empty option ("— Choose —", "Any province"); omitted → no empty option. */
  emptyLabel?: string;
  disabled?: boolean;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string | undefined;
  testId?: string;
}

function UnitOptions(props: { units: AdminUnit[]; value: string; loading: boolean; emptyLabel?: string }) {
  return (
    <>
      <Show when={props.emptyLabel !== undefined}>
        <option value="" selected={props.value === ""}>
          {props.loading ? t("common.loading") : props.emptyLabel}
        </option>
      </Show>
      {/* Keep a value that is not (yet) in the list, so it is not silently lost. */}
      <Show when={props.value && !props.units.some((u) => u.code === props.value)}>
        <option value={props.value} selected>
          {props.value}
        </option>
      </Show>
      <For each={props.units}>
        {(unit) => (
          <option value={unit.code} selected={unit.code === props.value}>
            {unit.name}
          </option>
        )}
      </For>
    </>
  );
}

function UnitSelectBase(props: UnitSelectProps & { load: () => Promise<AdminUnit[]> | null; source: () => unknown }) {
  const [units, setUnits] = createSignal<AdminUnit[]>([]);
  const [loading, setLoading] = createSignal(false);
  const [failed, setFailed] = createSignal(false);
  let latest = 0; // answers for a province the user already left are dropped
  createEffect(
    on(props.source, () => {
      const mine = ++latest;
      const pending = props.load();
      if (!pending) {
        setUnits([]);
        setLoading(false);
        return;
      }
      setLoading(true);
      setFailed(false);
      pending
        .then((list) => mine === latest && setUnits(list))
        .catch(() => mine === latest && setFailed(true))
        .finally(() => mine === latest && setLoading(false));
    }),
  );
  return (
    <select
      id={props.id}
      value={props.value}
      disabled={props.disabled}
      required={props.required}
      aria-invalid={props.invalid ? "true" : undefined}
      aria-describedby={props.describedBy}
      aria-busy={loading()}
      data-testid={props.testId}
      data-loaded={!loading() && !failed() ? "true" : "false"}
      onChange={(e) => props.onChange(e.currentTarget.value)}
    >
      <UnitOptions
        units={units()}
        value={props.value}
        loading={loading()}
        {...(props.emptyLabel !== undefined ? { emptyLabel: props.emptyLabel } : {})}
      />
    </select>
  );
}

export function ProvinceSelect(props: UnitSelectProps) {
  return <UnitSelectBase {...props} source={() => true} load={() => loadProvinces()} />;
}

export function CommuneSelect(props: UnitSelectProps & { provinceCode: string }) {
  return (
    <UnitSelectBase
      {...props}
      disabled={props.disabled || !props.provinceCode}
      source={() => props.provinceCode}
      load={() => (props.provinceCode ? loadCommunes(props.provinceCode) : null)}
    />
  );
}
