import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { auditLog, type AuditRow } from "../../db/schema";
import type { Deps } from "../deps";
import { areaFilter, NATIONAL, type Area, type AuthUser } from "../auth/scope";
import { decodeCursor, page } from "../http/pagination";

/** Who is acting, from where: carried from the request into every service that audits. */
export interface Actor {
  user: AuthUser | null;
  ip: string;
  requestId: string;
}

export interface AuditEntry {
  action: string;
  subjectType: string;
  subjectId?: string | null;
  /** Area of the subject; null province → a national-level subject. */
  area: Area;
  details?: Record<string, unknown>;
  /** For logins, the account concerned when no one is signed in yet. */
  actorOverride?: { id: string | null; username: string; role: string | null };
}

/** Writes one audit row. Called by every service that reads or changes personal data. */
export async function recordAudit(deps: Deps, actor: Actor, entry: AuditEntry): Promise<void> {
  const who = entry.actorOverride ?? (actor.user ? { id: actor.user.id, username: actor.user.username, role: actor.user.role } : null);
  await deps.db.insert(auditLog).values({
    at: deps.now(),
    actorUserId: who?.id ?? null,
    actorUsername: who?.username ?? null,
    actorRole: who?.role ?? null,
    action: entry.action,
    subjectType: entry.subjectType,
    subjectId: entry.subjectId ?? null,
    provinceCode: entry.area.provinceCode ?? NATIONAL,
    communeCode: entry.area.communeCode,
    ip: actor.ip,
    requestId: actor.requestId,
    details: entry.details ?? null,
  });
}

export interface AuditQuery {
  action?: string | undefined;
  subjectType?: string | undefined;
  subjectId?: string | undefined;
  actorUserId?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** The audit trail of the caller's area, newest first (keyset on id). */
export async function listAudit(deps: Deps, actor: Actor & { user: AuthUser }, q: AuditQuery) {
  const after = decodeCursor<[number]>(q.cursor, ["int"]);
  const conds: (SQL | undefined)[] = [
    areaFilter(actor.user, auditLog),
    q.action ? eq(auditLog.action, q.action) : undefined,
    q.subjectType ? eq(auditLog.subjectType, q.subjectType) : undefined,
    q.subjectId ? eq(auditLog.subjectId, q.subjectId) : undefined,
    q.actorUserId ? eq(auditLog.actorUserId, q.actorUserId) : undefined,
    q.from ? gte(auditLog.at, q.from) : undefined,
    q.to ? lte(auditLog.at, q.to) : undefined,
    after ? lt(auditLog.id, after[0]) : undefined,
  ];
  const rows: AuditRow[] = await deps.db
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  const result = page(rows, q.limit, (r) => [r.id]);
  await recordAudit(deps, actor, {
    action: "audit.list",
    subjectType: "audit_log",
    area: { provinceCode: actor.user.provinceCode, communeCode: actor.user.communeCode },
    details: { count: result.items.length, filters: { action: q.action, subjectType: q.subjectType, subjectId: q.subjectId } },
  });
  return result;
}

