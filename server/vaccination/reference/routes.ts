/** Vaccine products and lots (docs/VACCINATION.md "Reference data"). */
import { createRoute } from "@hono/zod-openapi";
import { requireAuth } from "../../auth/middleware";
import { OFFICER_ROLES } from "../../auth/roles";
import { actorOf } from "../../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../../http/openapi";
import { CreateLot, Lot, LotList, LotListQuery, ProductList } from "./schemas";
import { createLot, listLots, listProducts } from "./service";

const tags = ["Vaccination"];

export const vaccinationReferenceRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccine-products",
      tags,
      summary: "Vaccine products with their dose rules (any signed-in user)",
      security: bearer,
      middleware: requireAuth(),
      responses: { 200: json(ProductList, "Every product, by code"), ...authErrors },
    }),
    async (c) => c.json(await listProducts(c.get("deps")), 200),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/vaccine-lots",
      tags,
      summary: "Vaccine lots by lot number; expired lots only with includeExpired (officers, site staff)",
      security: bearer,
      middleware: requireAuth("site_staff", ...OFFICER_ROLES),
      request: { query: LotListQuery },
      responses: { 200: json(LotList, "A page of lots"), ...authErrors },
    }),
    async (c) => c.json(await listLots(c.get("deps"), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/vaccine-lots",
      tags,
      summary: "Record a lot received (province, health and national officers); the same lot twice is 409",
      security: bearer,
      middleware: requireAuth("province_officer", "health_officer", "national_admin"),
      request: { body: jsonBody(CreateLot) },
      responses: { 201: json(Lot, "The lot"), ...authErrors, 409: errors[409] },
    }),
    async (c) => c.json(await createLot(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  );
