/**
 * The area part of a filter bar, as the caller's role allows: national admins pick a province
 * then a commune; officers of a whole province pick one of its communes; officers of one commune
 * and site staff have nothing to pick (the server already keeps them to theirs).
 */
import { Match, Switch } from "solid-js";
import type { User } from "../api";
import { t } from "../i18n";
import { areaFilterOf } from "../pages/declarations/format";
import { FilterField } from "./ListView";
import { CommuneSelect, ProvinceSelect } from "./UnitSelect";

export default function AreaFilter(props: {
  me: User;
  idPrefix: string;
  provinceCode: string;
  communeCode: string;
  onChange: (area: { provinceCode: string; communeCode: string }) => void;
}) {
  const mode = () => (props.me.role === "site_staff" ? "none" : areaFilterOf(props.me));
  return (
    <Switch>
      <Match when={mode() === "province"}>
        <FilterField id={`${props.idPrefix}-province`} label={t("area.province")}>
          <ProvinceSelect
            id={`${props.idPrefix}-province`}
            value={props.provinceCode}
            emptyLabel={t("area.anyProvince")}
            onChange={(code) => props.onChange({ provinceCode: code, communeCode: "" })}
            testId={`${props.idPrefix}-province`}
          />
        </FilterField>
        <FilterField id={`${props.idPrefix}-commune`} label={t("area.commune")}>
          <CommuneSelect
            id={`${props.idPrefix}-commune`}
            provinceCode={props.provinceCode}
            value={props.communeCode}
            emptyLabel={t("area.anyCommune")}
            onChange={(code) => props.onChange({ provinceCode: props.provinceCode, communeCode: code })}
            testId={`${props.idPrefix}-commune`}
          />
        </FilterField>
      </Match>
      <Match when={mode() === "commune"}>
        <FilterField id={`${props.idPrefix}-commune`} label={t("area.commune")}>
          <CommuneSelect
            id={`${props.idPrefix}-commune`}
            provinceCode={props.me.provinceCode ?? ""}
            value={props.communeCode}
            emptyLabel={t("area.anyCommune")}
            onChange={(code) => props.onChange({ provinceCode: props.me.provinceCode ?? "", communeCode: code })}
            testId={`${props.idPrefix}-commune`}
          />
        </FilterField>
      </Match>
    </Switch>
  );
}
