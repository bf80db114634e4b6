import { createRoute } from "@hono/zod-openapi";
import { createRouter, errors, json, jsonBody } from "../http/openapi";
import { CheckinConfirmation, CheckinIdParam, CheckinRequest, CheckoutRequest, CheckoutResult } from "./schemas";
import { checkIn, checkOut } from "./service";

const tags = ["Check-in"];

export const checkinRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/checkins",
      tags,
      summary: "Check in at a venue with its code (no sign-in needed); idempotent by id",
      request: { body: jsonBody(CheckinRequest) },
      responses: {
        201: json(CheckinConfirmation, "Checked in (stored and committed)"),
        200: json(CheckinConfirmation, "Already stored: the same id was sent before"),
        400: errors[400],
        409: errors[409],
        410: { description: "The code was replaced (old poster) or has expired (on-screen code)", content: errors[400].content },
        413: errors[413],
      },
    }),
    async (c) => {
      const r = await checkIn(c.get("deps"), c.req.valid("json"));
      return c.json(r.body, r.status);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/checkins/{id}/checkout",
      tags,
      summary: "Check out (the phone that checked in proves it with its person id)",
      request: { params: CheckinIdParam, body: jsonBody(CheckoutRequest) },
      responses: { 200: json(CheckoutResult, "Checked out"), 400: errors[400], 404: errors[404] },
    }),
    async (c) => c.json(await checkOut(c.get("deps"), c.req.valid("param").id, c.req.valid("json").personId), 200),
  );
