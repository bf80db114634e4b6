/**
 * The citizen's side of the dose registry: their own and their family members' doses, the next
 * dose of each and their reactions (GET /api/me/vaccination), and a reaction reported on one of
 * those doses. The account's own record includes the records typed in for the same phone and
 * birth year (a dose recorded at a site before the app was used), as for exposure notices.
 */
import { and, eq, inArray } from "drizzle-orm";
import { adverseEvents, vaccinations } from "../../../db/schema";
import { recordAudit } from "../../audit/service";
import { accountOf, familyIdsOf, peopleByIds, recordsByPerson } from "../../citizens/account";
import type { Deps } from "../../deps";
import { notFound } from "../../http/errors";
import { adverseEventsWhere, reportOwnAdverseEvent } from "./adverse-events";
import { factOf, nextDoseOf, presentDose, productRules, selectDoses, type SignedIn } from "./records";
import type { CreateAdverseEventT } from "./schemas";

/** The account's people (own first, then family) and which person each record stands for. */
async function myPeople(deps: Deps, userId: string) {
  const { person } = await accountOf(deps, userId);
  const family = await peopleByIds(deps, await familyIdsOf(deps, userId));
  const byRecord = await recordsByPerson(deps, [{ person, own: true }, ...family.map((p) => ({ person: p, own: false }))]);
  return { own: person, people: [person, ...family], byRecord };
}

/** GET /api/me/vaccination (audited). */
export async function myVaccination(deps: Deps, actor: SignedIn) {
  const { own, people, byRecord } = await myPeople(deps, actor.user.id);
  const records = [...byRecord.keys()];
  const doses = records.length ? await selectDoses(deps.db, inArray(vaccinations.personId, records)) : [];
  const events = records.length ? await adverseEventsWhere(deps.db, inArray(adverseEvents.personId, records)) : [];
  const products = await productRules(deps.db);
  const result = people.map((p) => {
    const mine = doses.filter((d) => byRecord.get(d.personId) === p.id).sort((a, b) => Number(a.doseNumber) - Number(b.doseNumber) || String(a.givenOn).localeCompare(String(b.givenOn)));
    return {
      person: { id: p.id, fullName: p.fullName, birthYear: p.birthYear },
      doses: mine.map(presentDose),
      nextDose: nextDoseOf(mine.map(factOf), products),
      adverseEvents: events.filter((e) => byRecord.get(e.personId) === p.id),
    };
  });
  await recordAudit(deps, actor, {
    action: "me.vaccination.read",
    subjectType: "person",
    subjectId: own.id,
    area: { provinceCode: own.provinceCode, communeCode: own.communeCode },
    details: { people: people.length, doses: doses.length },
  });
  return { people: result };
}

/** POST /api/me/vaccinations/{id}/adverse-events: only for a dose of the account's people (404 otherwise). */
export async function reportMyAdverseEvent(deps: Deps, actor: SignedIn, doseId: string, input: CreateAdverseEventT) {
  const { byRecord } = await myPeople(deps, actor.user.id);
  const records = [...byRecord.keys()];
  const [dose] = records.length ? await selectDoses(deps.db, and(eq(vaccinations.id, doseId), inArray(vaccinations.personId, records)), 1) : [];
  if (!dose) throw notFound("Dose");
  return reportOwnAdverseEvent(deps, actor, dose, input);
}
