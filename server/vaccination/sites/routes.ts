/** Vaccination sites, slots, registration and appointments (docs/VACCINATION.md). */
import { createRoute, z } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import {
  AppointmentDetail,
  AppointmentIdParam,
  AppointmentList,
  AppointmentListQuery,
  Appointment,
  BookRequest,
  CheckInRequest,
  MyAppointmentsQuery,
  MyRegistration,
  StaffRegistration,
} from "./appointments-schemas";
import {
  bookForPerson,
  bookMine,
  cancelForPerson,
  cancelMine,
  checkIn,
  listAppointments,
  listMyAppointments,
  myAppointmentQr,
  registerForPerson,
  registerMine,
} from "./appointments";
import {
  CreateSite,
  OpenSiteList,
  OpenSitesQuery,
  PublishSlots,
  SiteDetail,
  SiteIdParam,
  SiteList,
  SiteListQuery,
  SiteStaffParam,
  SlotIdParam,
  SlotList,
  SlotsQuery,
  Site,
  UpdateSite,
} from "./schemas";
import { assignStaff, createSite, deleteSlot, getSite, listSites, listSlots, openSites, publishSlots, unassignStaff, updateSite } from "./service";

const tags = ["Vaccination"];
/** Officers read their area's sites, site staff their own. */
const readers = requireAuth("site_staff", ...OFFICER_ROLES);
/** Who creates and edits sites and assigns their staff. */
const managers = requireAuth("commune_officer", "province_officer", "national_admin");
/** Who works at sites: publishes slots, registers, books and checks people in. */
const workers = requireAuth("site_staff", "commune_officer", "province_officer", "national_admin");
const citizen = requireAuth("citizen");
const noContent = (description: string) => ({ description });
const conflict = { 409: errors[409] };
const rules = { 409: errors[409], 422: errors[422] };

const siteRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-sites/open",
      tags,
      summary: "Active sites of a province or commune, for booking (anyone; no personal data)",
      request: { query: OpenSitesQuery },
      responses: { 200: json(OpenSiteList, "A page of open sites, by name"), 400: errors[400] },
    }),
    async (c) => c.json(await openSites(c.get("deps"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-sites",
      tags,
      summary: "Sites of the caller's area (site staff: their sites), by name",
      security: bearer,
      middleware: readers,
      request: { query: SiteListQuery },
      responses: { 200: json(SiteList, "A page of sites"), ...authErrors },
    }),
    async (c) => c.json(await listSites(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination-sites",
      tags,
      summary: "Create a site in a commune of the caller's area (commune, province, national)",
      security: bearer,
      middleware: managers,
      request: { body: jsonBody(CreateSite) },
      responses: { 201: json(Site, "The site"), ...authErrors },
    }),
    async (c) => c.json(await createSite(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-sites/{id}",
      tags,
      summary: "One site with its staff",
      security: bearer,
      middleware: readers,
      request: { params: SiteIdParam },
      responses: { 200: json(SiteDetail, "The site"), ...authErrors },
    }),
    async (c) => c.json(await getSite(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/vaccination-sites/{id}",
      tags,
      summary: "Edit a site: name, address, capacity per day, status (commune, province, national)",
      security: bearer,
      middleware: managers,
      request: { params: SiteIdParam, body: jsonBody(UpdateSite) },
      responses: { 200: json(SiteDetail, "The site"), ...authErrors },
    }),
    async (c) => c.json(await updateSite(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/vaccination-sites/{id}/staff/{userId}",
      tags,
      summary: "Assign a site_staff account of the site's commune to the site",
      security: bearer,
      middleware: managers,
      request: { params: SiteStaffParam },
      responses: { 204: noContent("Assigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      await assignStaff(c.get("deps"), actorOf(c), id, userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/vaccination-sites/{id}/staff/{userId}",
      tags,
      summary: "Unassign a staff account from the site",
      security: bearer,
      middleware: managers,
      request: { params: SiteStaffParam },
      responses: { 204: noContent("Unassigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      await unassignStaff(c.get("deps"), actorOf(c), id, userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination-sites/{id}/slots",
      tags,
      summary: "A site's slots with free places, today … +14 days unless told (anyone)",
      request: { params: SiteIdParam, query: SlotsQuery },
      responses: { 200: json(SlotList, "The slots by start time"), 400: errors[400], 404: errors[404] },
    }),
    async (c) => c.json(await listSlots(c.get("deps"), c.req.valid("param").id, c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination-sites/{id}/slots",
      tags,
      summary: "Publish a day of slots (site staff of the site, commune, province, national); more than the capacity per day is 400, overlaps 409",
      security: bearer,
      middleware: workers,
      request: { params: SiteIdParam, body: jsonBody(PublishSlots) },
      responses: { 201: json(SlotList, "The new slots"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await publishSlots(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/vaccination-slots/{id}",
      tags,
      summary: "Delete a slot nobody has booked (409 otherwise)",
      security: bearer,
      middleware: workers,
      request: { params: SlotIdParam },
      responses: { 204: noContent("Deleted"), ...authErrors, ...conflict },
    }),
    async (c) => {
      await deleteSlot(c.get("deps"), actorOf(c), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

const myAppointmentRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/me/vaccination/appointments",
      tags,
      summary: "The citizen's and their family's appointments, newest first",
      security: bearer,
      middleware: citizen,
      request: { query: MyAppointmentsQuery },
      responses: { 200: json(AppointmentList, "A page of appointments"), ...authErrors },
    }),
    async (c) => c.json(await listMyAppointments(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/vaccination/appointments",
      tags,
      summary: "Register oneself or a family member for the next dose; with slotId, booked at once",
      security: bearer,
      middleware: citizen,
      request: { body: jsonBody(MyRegistration) },
      responses: { 201: json(Appointment, "The appointment"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await registerMine(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/vaccination/appointments/{id}/book",
      tags,
      summary: "Book (or move) an appointment into a slot; a full slot is 409 slot_full",
      security: bearer,
      middleware: citizen,
      request: { params: AppointmentIdParam, body: jsonBody(BookRequest) },
      responses: { 200: json(Appointment, "The booked appointment"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await bookMine(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json").slotId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/me/vaccination/appointments/{id}/cancel",
      tags,
      summary: "Cancel an appointment; its place is freed",
      security: bearer,
      middleware: citizen,
      request: { params: AppointmentIdParam },
      responses: { 200: json(Appointment, "The cancelled appointment"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await cancelMine(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me/vaccination/appointments/{id}/qr.svg",
      tags,
      summary: "The appointment's QR (PHC-APT:<code>) as SVG, to show at the site",
      security: bearer,
      middleware: citizen,
      request: { params: AppointmentIdParam },
      responses: {
        200: { description: "The QR", content: { "image/svg+xml": { schema: z.string().openapi({ format: "binary" }) } } },
        ...authErrors,
        ...conflict,
      },
    }),
    async (c) => {
      const svg = await myAppointmentQr(c.get("deps"), actorOf(c), c.req.valid("param").id);
      return c.body(svg, 200, { "content-type": "image/svg+xml; charset=utf-8", "cache-control": "private, no-store" });
    },
  );

const staffAppointmentRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination/appointments/check-in",
      tags,
      summary: "Check a person in by the scanned QR or the typed code; another day is 409 wrong_day, cancelled 409 appointment_cancelled, another site's 404",
      security: bearer,
      middleware: workers,
      request: { body: jsonBody(CheckInRequest) },
      responses: { 200: json(AppointmentDetail, "The appointment, the person and their doses"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await checkIn(c.get("deps"), actorOf(c), c.req.valid("json").code), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccination/appointments",
      tags,
      summary: "Appointments of the caller's area (site staff: their sites), priority groups first",
      security: bearer,
      middleware: readers,
      request: { query: AppointmentListQuery },
      responses: { 200: json(AppointmentList, "A page of appointments"), ...authErrors },
    }),
    async (c) => c.json(await listAppointments(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination/appointments",
      tags,
      summary: "Register someone without the app (an existing person or one typed in); site staff into a slot of their sites",
      security: bearer,
      middleware: workers,
      request: { body: jsonBody(StaffRegistration) },
      responses: { 201: json(Appointment, "The appointment"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await registerForPerson(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination/appointments/{id}/book",
      tags,
      summary: "Book (or move) someone's appointment into a slot of a site the caller works for",
      security: bearer,
      middleware: workers,
      request: { params: AppointmentIdParam, body: jsonBody(BookRequest) },
      responses: { 200: json(Appointment, "The booked appointment"), ...authErrors, ...rules },
    }),
    async (c) => c.json(await bookForPerson(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json").slotId), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccination/appointments/{id}/cancel",
      tags,
      summary: "Cancel someone's appointment; its place is freed",
      security: bearer,
      middleware: workers,
      request: { params: AppointmentIdParam },
      responses: { 200: json(Appointment, "The cancelled appointment"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await cancelForPerson(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  );

export const vaccinationSiteRoutes = createRouter().route("/", siteRoutes).route("/", myAppointmentRoutes).route("/", staffAppointmentRoutes);
