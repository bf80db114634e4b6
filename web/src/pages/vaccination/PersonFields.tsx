/**
 * Who is vaccinated, on the dose form: the shared PersonFinder (components/PersonFinder.tsx) in the
 * words of vaccination; part of a name finds the people vaccinated at the caller's sites or area
 * (GET /api/vaccinations?q=), which covers the second dose at the same site.
 */
import PersonFinder, { type FoundPerson } from "../../components/PersonFinder";
import type { PersonPickerState } from "../tracing/PersonPicker";
import { formatDay } from "../venues.data";
import { listDoses } from "./vaccination.api";
import { doseLabel } from "./vaccination.data";

/** People vaccinated at the caller's sites whose name or phone matches, one entry per person (newest dose first). */
async function vaccinatedHere(q: string): Promise<FoundPerson[]> {
  const page = await listDoses({ q, limit: 50 });
  const seen = new Map<string, FoundPerson>();
  for (const d of page.items)
    if (!seen.has(d.personId))
      seen.set(d.personId, {
        id: d.personId,
        fullName: d.personName,
        phone: null,
        birthYear: d.birthYear,
        provinceCode: d.provinceCode,
        communeCode: d.communeCode,
        note: () => `${doseLabel(d.doseNumber)} ${d.productCode} · ${formatDay(d.givenOn)}`,
      });
  return [...seen.values()];
}

const WORDS = {
  legend: "vacc.person.legend",
  findTab: "vacc.person.findTab",
  query: "vacc.person.query",
  queryInvalid: "vacc.person.queryInvalid",
  lookupHint: "vacc.person.lookupHint",
  hereHint: "vacc.person.staffLookupHint",
  noneFound: "tracing.person.noneFound",
  newHint: "vacc.person.newHint",
} as const;

export default function PersonFields(props: { picker: PersonPickerState; canLookUp: boolean }) {
  return <PersonFinder picker={props.picker} canLookUp={props.canLookUp} prefix="vacc-person" words={WORDS} findHere={vaccinatedHere} />;
}
