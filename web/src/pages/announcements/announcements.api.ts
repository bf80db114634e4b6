/**
 * Announcements as the portal calls them (docs/STATS.md, "Announcements"): shapes from the
 * server's zod schemas (types only), a keyset list, drafts written, edited, published, withdrawn.
 */
import type { z } from "@hono/zod-openapi";
import type { Accessor } from "solid-js";
import type * as S from "../../../../server/stats/announcements/schemas";
import { request, type Page } from "../../api";
import { createKeysetList } from "../../pagination";

export type Announcement = z.output<typeof S.Announcement>;
export type NewAnnouncement = z.input<typeof S.CreateAnnouncement>;
export type AnnouncementPatch = z.input<typeof S.UpdateAnnouncement>;
export type AnnouncementKind = Announcement["kind"];
export type AnnouncementStatus = Announcement["status"];
export interface AnnouncementListQuery {
  status?: AnnouncementStatus | undefined;
  kind?: AnnouncementKind | undefined;
  communeCode?: string | undefined;
  limit?: number;
  cursor?: string;
}

export const ANNOUNCEMENT_KINDS = ["announcement", "guidance", "measure"] as const satisfies readonly AnnouncementKind[];
export const ANNOUNCEMENT_STATUSES = ["draft", "published", "withdrawn"] as const satisfies readonly AnnouncementStatus[];
/** The server's limits (server/stats/announcements/schemas.ts). */
export const TITLE_MAX = 200;
export const BODY_MAX = 10_000;
export const PAGE_SIZE = 30;

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const listAnnouncements = (query: AnnouncementListQuery, signal?: AbortSignal) =>
  request<Page<Announcement>>("GET", "/api/announcements", { query: { ...query }, ...withSignal(signal) });
export const createAnnouncement = (input: NewAnnouncement) => request<Announcement>("POST", "/api/announcements", { body: input });
export const updateAnnouncement = (id: string, patch: AnnouncementPatch) =>
  request<Announcement>("PATCH", `/api/announcements/${encodeURIComponent(id)}`, { body: patch });

export const createAnnouncementList = (filters: Accessor<Omit<AnnouncementListQuery, "limit" | "cursor">>) =>
  createKeysetList(filters, (f, cursor, signal) => listAnnouncements({ ...f, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, signal));

/** The province's public situation page (served by the platform, no sign-in). */
export const publicPageOf = (provinceCode: string) => `/tinh-hinh/${encodeURIComponent(provinceCode)}`;
