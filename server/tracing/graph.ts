/**
 * The transmission graph of a case's cluster: the cases linked by who infected whom, the venues
 * where their contacts were made, the F1s, and the F2s (collapsed behind their F1 unless asked).
 * Contacts and cases outside the caller's area appear without a name, as their province only.
 */
import { and, eq, inArray, or } from "drizzle-orm";
import { cases, contacts, people, venues } from "../../db/schema";
import { recordAudit } from "../audit/service";
import { inArea } from "../auth/scope";
import type { Deps } from "../deps";
import { initialsOf } from "../venues/codes";
import { findCase, type SignedIn } from "./cases";

type NodeKind = "case" | "venue" | "contact";
type EdgeKind = "visited" | "exposed" | "contact" | "infected" | "via";
interface Node {
  id: string;
  kind: NodeKind;
  label: string;
  degree: number | null;
  status: string | null;
  provinceCode: string | null;
  hidden: number;
}

const MAX_CASES = 100;

/** The cases linked to `rootId` through source_case_id, up and down, breadth first. */
async function clusterOf(deps: Deps, rootId: string) {
  const seen = new Map<string, typeof cases.$inferSelect>();
  let frontier = [rootId];
  while (frontier.length && seen.size < MAX_CASES) {
    const rows = await deps.db
      .select()
      .from(cases)
      .where(or(inArray(cases.id, frontier), inArray(cases.sourceCaseId, frontier)));
    const parents = rows.flatMap((r) => (r.sourceCaseId ? [r.sourceCaseId] : []));
    const extra = parents.filter((p) => !seen.has(p) && !rows.some((r) => r.id === p));
    const parentRows = extra.length ? await deps.db.select().from(cases).where(inArray(cases.id, extra)) : [];
    frontier = [];
    for (const r of [...rows, ...parentRows]) {
      if (seen.has(r.id) || seen.size >= MAX_CASES) continue;
      seen.set(r.id, r);
      frontier.push(r.id);
    }
  }
  return [...seen.values()];
}

export async function caseGraph(deps: Deps, actor: SignedIn, id: string, input: { f2: "collapsed" | "expanded"; limit: number }) {
  const root = await findCase(deps, actor.user, id);
  const cluster = await clusterOf(deps, root.id);
  const caseIds = cluster.map((c) => c.id);
  const nodes = new Map<string, Node>();
  const edges: { from: string; to: string; kind: EdgeKind }[] = [];
  let truncated = false;
  const add = (n: Node) => {
    if (nodes.has(n.id)) return true;
    if (nodes.size >= input.limit) {
      truncated = true;
      return false;
    }
    nodes.set(n.id, n);
    return true;
  };

  const casePeople = await deps.db
    .select({ id: people.id, fullName: people.fullName, birthYear: people.birthYear })
    .from(people)
    .where(inArray(people.id, cluster.map((c) => c.personId)));
  const personOf = new Map(casePeople.map((p) => [p.id, p]));
  for (const c of cluster) {
    const visible = inArea(actor.user, c);
    const p = personOf.get(c.personId);
    add({
      id: `case:${c.id}`,
      kind: "case",
      label: visible && p ? `F0 ${initialsOf(p.fullName)} ${p.birthYear ?? ""} · ${c.confirmedOn}`.trim() : `F0 · ${c.provinceCode}`,
      degree: 0,
      status: c.status,
      provinceCode: c.provinceCode,
      hidden: 0,
    });
  }

  const rows = await deps.db
    .select({
      id: contacts.id,
      caseId: contacts.caseId,
      degree: contacts.degree,
      source: contacts.source,
      via: contacts.viaContactId,
      venueId: contacts.venueId,
      venueName: venues.name,
      status: contacts.status,
      provinceCode: contacts.provinceCode,
      communeCode: contacts.communeCode,
      personId: contacts.personId,
      fullName: people.fullName,
      birthYear: people.birthYear,
    })
    .from(contacts)
    .leftJoin(people, eq(people.id, contacts.personId))
    .leftJoin(venues, and(eq(venues.id, contacts.venueId), eq(venues.provinceCode, contacts.provinceCode)))
    .where(inArray(contacts.caseId, caseIds))
    .orderBy(contacts.degree, contacts.lastExposureAt)
    .limit(input.limit * 20);
  if (rows.length === input.limit * 20) truncated = true;

  const f2Behind = new Map<string, number>();
  for (const r of rows) if (r.degree === 2 && r.via) f2Behind.set(r.via, (f2Behind.get(r.via) ?? 0) + 1);
  const childCaseOf = new Map(cluster.filter((c) => c.sourceContactId).map((c) => [c.sourceContactId!, c.id]));

  for (const r of rows) {
    if (r.degree === 2 && input.f2 === "collapsed") continue;
    const visible = inArea(actor.user, r);
    const label = visible && r.fullName ? `F${r.degree} ${initialsOf(r.fullName)} ${r.birthYear ?? ""}`.trim() : `F${r.degree} · ${r.provinceCode}`;
    if (!add({ id: `contact:${r.id}`, kind: "contact", label, degree: r.degree, status: r.status, provinceCode: r.provinceCode, hidden: input.f2 === "collapsed" ? (f2Behind.get(r.id) ?? 0) : 0 }))
      continue;
    if (r.degree === 2 && r.via) {
      if (nodes.has(`contact:${r.via}`)) edges.push({ from: `contact:${r.via}`, to: `contact:${r.id}`, kind: "via" });
    } else if (r.source === "venue" && r.venueId) {
      const venueNode = `venue:${r.venueId}`;
      if (add({ id: venueNode, kind: "venue", label: r.venueName ?? "?", degree: null, status: null, provinceCode: r.provinceCode, hidden: 0 })) {
        const visit = { from: `case:${r.caseId}`, to: venueNode, kind: "visited" as const };
        if (!edges.some((e) => e.from === visit.from && e.to === visit.to)) edges.push(visit);
        edges.push({ from: venueNode, to: `contact:${r.id}`, kind: "exposed" });
      }
    } else {
      edges.push({ from: `case:${r.caseId}`, to: `contact:${r.id}`, kind: "contact" });
    }
    const child = childCaseOf.get(r.id);
    if (child) edges.push({ from: `contact:${r.id}`, to: `case:${child}`, kind: "infected" });
  }
  // A child case whose source contact is not drawn still hangs off its parent case.
  for (const c of cluster)
    if (c.sourceCaseId && (!c.sourceContactId || !nodes.has(`contact:${c.sourceContactId}`)) && nodes.has(`case:${c.sourceCaseId}`))
      edges.push({ from: `case:${c.sourceCaseId}`, to: `case:${c.id}`, kind: "infected" });

  await recordAudit(deps, actor, { action: "case.graph", subjectType: "case", subjectId: root.id, area: root, details: { cases: cluster.length, nodes: nodes.size } });
  return { nodes: [...nodes.values()], edges: edges.filter((e) => nodes.has(e.from) && nodes.has(e.to)), truncated };
}
