/** Announcements of a province and its public situation page data (docs/STATS.md). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { perIpLimit } from "../../declarations/limits";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { Announcement, AnnouncementIdParam, AnnouncementList, AnnouncementListQuery, CreateAnnouncement, ProvinceParam, Situation, UpdateAnnouncement } from "./schemas";
import { createAnnouncement, listAnnouncements, situation, updateAnnouncement } from "./service";

const tags = ["Statistics"];
const readers = requireAuth(...OFFICER_ROLES);
/** Who writes announcements: commune and province officers, national admins. */
const writers = requireAuth("commune_officer", "province_officer", "national_admin");
/** The public situation per address: generous (phones behind one carrier NAT share it). */
const publicLimit = perIpLimit("situation", 120, 60);

export const announcementRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/announcements",
      tags,
      summary: "Announcements of the caller's area, newest first (commune officers: their commune's)",
      security: bearer,
      middleware: readers,
      request: { query: AnnouncementListQuery },
      responses: { 200: json(AnnouncementList, "A page of announcements"), ...authErrors },
    }),
    async (c) => c.json(await listAnnouncements(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/announcements",
      tags,
      summary: "Write a draft announcement for the caller's commune or province (another area: 403)",
      security: bearer,
      middleware: writers,
      request: { body: jsonBody(CreateAnnouncement) },
      responses: { 201: json(Announcement, "The draft"), ...authErrors },
    }),
    async (c) => c.json(await createAnnouncement(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/announcements/{id}",
      tags,
      summary: "Edit, publish (stamps publishedAt) or withdraw an announcement of the caller's area",
      security: bearer,
      middleware: writers,
      request: { params: AnnouncementIdParam, body: jsonBody(UpdateAnnouncement) },
      responses: { 200: json(Announcement, "The announcement"), ...authErrors },
    }),
    async (c) => c.json(await updateAnnouncement(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/public/situation/{provinceCode}",
      tags,
      summary: "A province's latest open figures, 7-day totals and published announcements (no sign-in; values 1–4 are null)",
      middleware: publicLimit,
      request: { params: ProvinceParam },
      responses: { 200: json(Situation, "The situation"), 400: errors[400], 404: errors[404], 429: errors[429] },
    }),
    async (c) => {
      const body = await situation(c.get("deps"), c.req.valid("param").provinceCode);
      c.header("cache-control", "public, max-age=60");
      return c.json(body, 200);
    },
  );
