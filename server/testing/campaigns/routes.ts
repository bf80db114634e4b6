/** Campaigns, testing sites and their staff, labs and their staff (docs/TESTING.md). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { assignLabStaff, createLab, getLab, listLabs, unassignLabStaff } from "./labs";
import {
  AssignTestSiteStaff,
  Campaign,
  CampaignDetail,
  CampaignIdParam,
  CampaignList,
  CampaignListQuery,
  CreateCampaign,
  CreateLab,
  CreateTestSite,
  Lab,
  LabDetail,
  LabIdParam,
  LabList,
  LabListQuery,
  LabStaffParam,
  MyTestSiteList,
  TestSite,
  TestSiteDetail,
  TestSiteIdParam,
  TestSiteList,
  TestSiteStaffParam,
  UpdateCampaign,
  UpdateTestSite,
} from "./schemas";
import { createCampaign, createTestSite, getCampaign, listCampaignSites, listCampaigns, updateCampaign, updateTestSite } from "./service";
import { assignTestSiteStaff, getTestSite, myTestSites, unassignTestSiteStaff } from "./staff";

const tags = ["Testing"];
/** Campaigns: officers of the area, site staff (their sites' campaigns), lab staff (campaigns with work at their lab). */
const campaignReaders = requireAuth("site_staff", "lab_staff", ...OFFICER_ROLES);
/** Testing sites: officers of the area and the site's own staff. */
const siteReaders = requireAuth("site_staff", ...OFFICER_ROLES);
/** Labs: officers of the province, site staff (to choose where a pool goes), lab staff (theirs). */
const labReaders = requireAuth("site_staff", "lab_staff", ...OFFICER_ROLES);
/** Who opens campaigns and sites and assigns site staff. */
const managers = requireAuth("commune_officer", "province_officer", "national_admin");
/** Who creates labs and assigns lab staff. */
const labManagers = requireAuth("province_officer", "national_admin");
const siteStaffOnly = requireAuth("site_staff");
const noContent = (description: string) => ({ description });
const conflict = { 409: errors[409] };

export const testCampaignRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/test-campaigns",
      tags,
      summary: "Testing campaigns the caller may see, latest start first",
      security: bearer,
      middleware: campaignReaders,
      request: { query: CampaignListQuery },
      responses: { 200: json(CampaignList, "A page of campaigns"), ...authErrors },
    }),
    async (c) => c.json(await listCampaigns(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-campaigns",
      tags,
      summary: "Open a campaign in the commune given or the caller's area (commune, province, national)",
      security: bearer,
      middleware: managers,
      request: { body: jsonBody(CreateCampaign) },
      responses: { 201: json(Campaign, "The campaign"), ...authErrors },
    }),
    async (c) => c.json(await createCampaign(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-campaigns/{id}",
      tags,
      summary: "One campaign with its counts (samples, pools, positive, retest needed)",
      security: bearer,
      middleware: campaignReaders,
      request: { params: CampaignIdParam },
      responses: { 200: json(CampaignDetail, "The campaign"), ...authErrors },
    }),
    async (c) => c.json(await getCampaign(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/test-campaigns/{id}",
      tags,
      summary: "Edit a campaign: name, last day, pool size, status (closing it stops new samples)",
      security: bearer,
      middleware: managers,
      request: { params: CampaignIdParam, body: jsonBody(UpdateCampaign) },
      responses: { 200: json(CampaignDetail, "The campaign"), ...authErrors },
    }),
    async (c) => c.json(await updateCampaign(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-campaigns/{id}/sites",
      tags,
      summary: "The campaign's testing sites the caller may see, by name",
      security: bearer,
      middleware: campaignReaders,
      request: { params: CampaignIdParam },
      responses: { 200: json(TestSiteList, "The sites"), ...authErrors },
    }),
    async (c) => c.json(await listCampaignSites(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/test-campaigns/{id}/sites",
      tags,
      summary: "Open a testing site in a commune of the campaign's and the caller's area",
      security: bearer,
      middleware: managers,
      request: { params: CampaignIdParam, body: jsonBody(CreateTestSite) },
      responses: { 201: json(TestSite, "The site"), ...authErrors, ...conflict },
    }),
    async (c) => c.json(await createTestSite(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-sites/mine",
      tags,
      summary: "The testing sites the caller (site staff) works at, with the campaign and their team",
      security: bearer,
      middleware: siteStaffOnly,
      responses: { 200: json(MyTestSiteList, "The sites"), ...authErrors },
    }),
    async (c) => c.json(await myTestSites(c.get("deps"), actorOf(c)), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/test-sites/{id}",
      tags,
      summary: "One testing site with its staff and their teams",
      security: bearer,
      middleware: siteReaders,
      request: { params: TestSiteIdParam },
      responses: { 200: json(TestSiteDetail, "The site"), ...authErrors },
    }),
    async (c) => c.json(await getTestSite(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/test-sites/{id}",
      tags,
      summary: "Edit a testing site: name, address, status",
      security: bearer,
      middleware: managers,
      request: { params: TestSiteIdParam, body: jsonBody(UpdateTestSite) },
      responses: { 200: json(TestSite, "The site"), ...authErrors },
    }),
    async (c) => c.json(await updateTestSite(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/test-sites/{id}/staff/{userId}",
      tags,
      summary: "Assign a site_staff account of the caller's area (and the site's province) to the site, in a team",
      security: bearer,
      middleware: managers,
      request: { params: TestSiteStaffParam, body: { required: false, content: { "application/json": { schema: AssignTestSiteStaff } } } },
      responses: { 204: noContent("Assigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      const body = c.req.valid("json") as { team?: string | null } | undefined;
      await assignTestSiteStaff(c.get("deps"), actorOf(c), id, userId, body?.team ?? null);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/test-sites/{id}/staff/{userId}",
      tags,
      summary: "Unassign a staff account from the testing site",
      security: bearer,
      middleware: managers,
      request: { params: TestSiteStaffParam },
      responses: { 204: noContent("Unassigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      await unassignTestSiteStaff(c.get("deps"), actorOf(c), id, userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/labs",
      tags,
      summary: "Labs the caller may see (officers and site staff: of their province; lab staff: theirs), by name",
      security: bearer,
      middleware: labReaders,
      request: { query: LabListQuery },
      responses: { 200: json(LabList, "A page of labs"), ...authErrors },
    }),
    async (c) => c.json(await listLabs(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/labs",
      tags,
      summary: "Create a lab in the caller's province (province officers, national admins)",
      security: bearer,
      middleware: labManagers,
      request: { body: jsonBody(CreateLab) },
      responses: { 201: json(Lab, "The lab"), ...authErrors },
    }),
    async (c) => c.json(await createLab(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/labs/{id}",
      tags,
      summary: "One lab with its staff",
      security: bearer,
      middleware: labReaders,
      request: { params: LabIdParam },
      responses: { 200: json(LabDetail, "The lab"), ...authErrors },
    }),
    async (c) => c.json(await getLab(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "put",
      path: "/labs/{id}/staff/{userId}",
      tags,
      summary: "Assign a lab_staff account of the lab's province to the lab",
      security: bearer,
      middleware: labManagers,
      request: { params: LabStaffParam },
      responses: { 204: noContent("Assigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      await assignLabStaff(c.get("deps"), actorOf(c), id, userId);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/labs/{id}/staff/{userId}",
      tags,
      summary: "Unassign a staff account from the lab",
      security: bearer,
      middleware: labManagers,
      request: { params: LabStaffParam },
      responses: { 204: noContent("Unassigned"), ...authErrors },
    }),
    async (c) => {
      const { id, userId } = c.req.valid("param");
      await unassignLabStaff(c.get("deps"), actorOf(c), id, userId);
      return c.body(null, 204);
    },
  );
