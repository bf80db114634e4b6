/**
 * Who the sample is from, at the desk: the shared PersonFinder (components/PersonFinder.tsx) in the
 * words of testing; part of a name finds the people already tested at the caller's sites
 * (GET /api/test-samples?q=), which covers the retest or the next round at the same site.
 */
import PersonFinder, { type FoundPerson } from "../../components/PersonFinder";
import type { PersonPickerState } from "../tracing/PersonPicker";
import { listSamples } from "./testing.api";
import { formatVnDateTime, sampleStatusLabel } from "./testing.data";

async function testedHere(q: string): Promise<FoundPerson[]> {
  const page = await listSamples({ q, limit: 50 });
  const seen = new Map<string, FoundPerson>();
  for (const s of page.items)
    if (!seen.has(s.personId))
      seen.set(s.personId, {
        id: s.personId,
        fullName: s.fullName,
        phone: null,
        birthYear: s.birthYear,
        // Where they live is not in a sample list; the note says where they were tested instead.
        provinceCode: "",
        communeCode: null,
        note: () => `${s.siteName} · ${formatVnDateTime(s.takenAt)} · ${sampleStatusLabel(s.status)}`,
      });
  return [...seen.values()];
}

const WORDS = {
  legend: "test.person.legend",
  findTab: "test.person.findTab",
  query: "test.person.query",
  queryInvalid: "test.person.queryInvalid",
  lookupHint: "test.person.lookupHint",
  hereHint: "test.person.lookupHint",
  noneFound: "test.person.noneFound",
  newHint: "test.person.newHint",
} as const;

export default function TestPersonFields(props: { picker: PersonPickerState; canLookUp: boolean }) {
  return <PersonFinder picker={props.picker} canLookUp={props.canLookUp} prefix="test-person" words={WORDS} findHere={testedHere} />;
}
