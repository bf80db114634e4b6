/** Data of the audit page: filters live in the URL (shareable, survive reload), rows are keyset pages. */
import type { Accessor } from "solid-js";
import { listAudit, type AuditEntry, type AuditQuery } from "../api";
import { createKeysetList } from "../pagination";

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilters {
  action: string;
  subjectType: string;
  subjectId: string;
  actorUserId: string;
  /** Local calendar days, "YYYY-MM-DD", as the date inputs give them. */
  from: string;
  to: string;
}

export const AUDIT_FILTER_KEYS = ["action", "subjectType", "subjectId", "actorUserId", "from", "to"] as const;

export const sameAuditFilters = (a: AuditFilters, b: AuditFilters) => AUDIT_FILTER_KEYS.every((k) => a[k] === b[k]);

/** Start of a local day as an ISO instant; `plusDays` 1 gives the (exclusive) end of the day. */
export function dayToIso(day: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return undefined;
  const date = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function toAuditQuery(f: AuditFilters): AuditQuery {
  const query: AuditQuery = {};
  if (f.action) query.action = f.action;
  if (f.subjectType) query.subjectType = f.subjectType;
  if (f.subjectId) query.subjectId = f.subjectId;
  if (f.actorUserId) query.actorUserId = f.actorUserId;
  const from = dayToIso(f.from);
  // "To 22/11" means up to the end of that day in the user's time zone.
  const to = dayToIso(f.to, 1);
  if (from) query.from = from;
  if (to) query.to = to;
  return query;
}

export function createAuditList(filters: Accessor<AuditFilters>) {
  return createKeysetList<AuditEntry, AuditFilters>(filters, (f, cursor, signal) =>
    listAudit({ ...toAuditQuery(f), limit: AUDIT_PAGE_SIZE, cursor }, signal),
  );
}
