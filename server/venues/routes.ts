import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../auth/middleware";
import { OFFICER_ROLES } from "../auth/roles";
import { CheckinConfirmation, StaffCheckinRequest } from "../checkins/schemas";
import { staffCheckIn } from "../checkins/service";
import { actorOf } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { posterPdf, posterPng, posterSvg } from "./poster";
import {
  CreateVenue,
  PosterQuery,
  RotateResult,
  ScreenCode,
  UpdateVenue,
  VenueIdParam,
  VenueList,
  VenueListQuery,
  VenueSchema,
  VenueStatusChange,
  VisitorList,
  VisitorsQuery,
} from "./schemas";
import {
  changeVenueStatus,
  createVenue,
  getVenue,
  listVenues,
  listVisitors,
  posterCode,
  rotateVenueCode,
  screenCode,
  updateVenue,
} from "./service";

const tags = ["Venues"];
const middleware = requireAuth("venue_staff", ...OFFICER_ROLES);
const conflict = { 409: errors[409] };

const file = (type: string, description: string) => ({ description, content: { [type]: { schema: z.string().openapi({ format: "binary" }) } } });

function posterRoute(ext: "pdf" | "png" | "svg", type: string) {
  return createRoute({
    method: "get",
    path: `/venues/{id}/poster.${ext}`,
    tags,
    summary: `The venue's QR poster as ${ext.toUpperCase()} (active venues only)`,
    security: bearer,
    middleware,
    request: { params: VenueIdParam, query: PosterQuery },
    responses: { 200: file(type, "The poster"), ...authErrors, ...conflict },
  });
}

export const venueRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/venues",
      tags,
      summary: "Venues of the caller's scope (staff: their venues), by name, with today's counts",
      security: bearer,
      middleware,
      request: { query: VenueListQuery },
      responses: { 200: json(VenueList, "A page of venues"), ...authErrors },
    }),
    async (c) => c.json(await listVenues(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/venues",
      tags,
      summary: "Register a venue (venue staff: pending approval; officers: active)",
      security: bearer,
      middleware,
      request: { body: jsonBody(CreateVenue) },
      responses: { 201: json(VenueSchema, "Registered"), ...authErrors },
    }),
    async (c) => c.json(await createVenue(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/venues/{id}",
      tags,
      summary: "One venue with today's counts",
      security: bearer,
      middleware,
      request: { params: VenueIdParam },
      responses: { 200: json(VenueSchema, "The venue"), ...authErrors },
    }),
    async (c) => c.json(await getVenue(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/venues/{id}",
      tags,
      summary: "Change a venue's details",
      security: bearer,
      middleware,
      request: { params: VenueIdParam, body: jsonBody(UpdateVenue) },
      responses: { 200: json(VenueSchema, "Updated"), ...authErrors },
    }),
    async (c) => c.json(await updateVenue(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/venues/{id}/status",
      tags,
      summary: "Approve, suspend or reopen a venue (commune and province officers)",
      security: bearer,
      middleware,
      request: { params: VenueIdParam, body: jsonBody(VenueStatusChange) },
      responses: { 200: json(VenueSchema, "New status"), ...authErrors, ...conflict },
    }),
    async (c) => {
      const { action, reason } = c.req.valid("json");
      return c.json(await changeVenueStatus(c.get("deps"), actorOf(c), c.req.valid("param").id, action, reason), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/venues/{id}/rotate",
      tags,
      summary: "Issue a new code: every printed poster and shown code of the venue stops working",
      security: bearer,
      middleware,
      request: { params: VenueIdParam },
      responses: { 200: json(RotateResult, "The new code"), ...authErrors },
    }),
    async (c) => c.json(await rotateVenueCode(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/venues/{id}/code",
      tags,
      summary: "A short-lived code for the venue's on-screen display (renew every minute)",
      security: bearer,
      middleware,
      request: { params: VenueIdParam },
      responses: { 200: json(ScreenCode, "The code"), ...authErrors, ...conflict },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      return c.json(await screenCode(c.get("deps"), actorOf(c), c.req.valid("param").id), 200);
    },
  )
  .openapi(posterRoute("pdf", "application/pdf"), async (c) => {
    const { venue, url } = await posterCode(c.get("deps"), actorOf(c), c.req.valid("param").id);
    const size = c.req.valid("query").size;
    const pdf = await posterPdf({ ...posterInput(venue, url, c.get("deps").now()), size });
    return c.body(new Uint8Array(pdf), 200, { "content-type": "application/pdf", "content-disposition": disposition(venue.name, `${size}.pdf`) });
  })
  .openapi(posterRoute("png", "image/png"), async (c) => {
    const { venue, url } = await posterCode(c.get("deps"), actorOf(c), c.req.valid("param").id);
    const png = await posterPng(posterInput(venue, url, c.get("deps").now()));
    return c.body(new Uint8Array(png), 200, { "content-type": "image/png", "content-disposition": disposition(venue.name, "png") });
  })
  .openapi(posterRoute("svg", "image/svg+xml"), async (c) => {
    const { venue, url } = await posterCode(c.get("deps"), actorOf(c), c.req.valid("param").id);
    const svg = await posterSvg(posterInput(venue, url, c.get("deps").now()));
    return c.body(svg, 200, { "content-type": "image/svg+xml; charset=utf-8", "content-disposition": disposition(venue.name, "svg") });
  })
  .openapi(
    createRoute({
      method: "get",
      path: "/venues/{id}/visitors",
      tags,
      summary: "Visitors of a day (newest first), who is inside now, and today's confirmation colour",
      security: bearer,
      middleware,
      request: { params: VenueIdParam, query: VisitorsQuery },
      responses: { 200: json(VisitorList, "Visitors"), ...authErrors },
    }),
    async (c) => c.json(await listVisitors(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/venues/{id}/checkins",
      tags,
      summary: "Check a visitor in at the door: scanned personal QR, or typed in (no phone)",
      security: bearer,
      middleware,
      request: { params: VenueIdParam, body: jsonBody(StaffCheckinRequest) },
      responses: { 200: json(CheckinConfirmation, "Already stored (same id)"), 201: json(CheckinConfirmation, "Checked in"), ...authErrors, ...conflict },
    }),
    async (c) => {
      const r = await staffCheckIn(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json"));
      return c.json(r.body, r.status);
    },
  );

function posterInput(venue: { id: string; name: string; address: string; category: string; qrVersion: number }, url: string, issuedAt: Date) {
  return { url, venueId: venue.id, name: venue.name, address: venue.address, category: venue.category, qrVersion: venue.qrVersion, issuedAt };
}

/** An attachment name that survives any venue name (RFC 6266 with a UTF-8 form). */
function disposition(name: string, ext: string) {
  const base = `poster-${name}`.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "D").replace(/[^A-Za-z0-9-]+/g, "-").replace(/^-|-$/g, "").slice(0, 60);
  return `attachment; filename="${base}.${ext}"; filename*=UTF-8''${encodeURIComponent(`poster-${name}.${ext}`)}`;
}
