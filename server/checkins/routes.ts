import { createRoute } from "@hono/zod-openapi";
import { citizenOfRequest } from "../citizens/account";
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
      summary: "Check in at a venue with its code (no sign-in needed; a signed-in citizen may omit guest); idempotent by id",
      request: { body: jsonBody(CheckinRequest) },
      responses: {
        201: json(CheckinConfirmation, "Checked in (stored and committed)"),
        200: json(CheckinConfirmation, "Already stored: the same id was sent before"),
        400: errors[400],
        401: errors[401],
        403: errors[403],
        409: errors[409],
        410: { description: "The code was replaced (old poster) or has expired (on-screen code)", content: errors[400].content },
        413: errors[413],
      },
    }),
    async (c) => {
      const deps = c.get("deps");
      // One-tap check-in of a signed-in citizen; the token is only looked at when one is sent.
      const authorization = c.req.header("authorization");
      const account = authorization ? await citizenOfRequest(deps, authorization) : undefined;
      const r = await checkIn(deps, { ...c.req.valid("json"), account });
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
