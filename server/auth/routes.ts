import { createRoute } from "@hono/zod-openapi";
import { actorOf, anonymousActor } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { UserSchema } from "../users/schemas";
import { requireAuth } from "./middleware";
import { LoginBody, RefreshBody, Session } from "./schemas";
import { getOwnAccount, login, logout, refresh } from "./service";

const tags = ["Identity"];

export const authRoutes = createRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags,
      summary: "Sign in with username and password",
      request: { body: jsonBody(LoginBody) },
      responses: { 200: json(Session, "Signed in"), 400: errors[400], 401: errors[401], 429: errors[429] },
    }),
    async (c) => c.json(await login(c.get("deps"), anonymousActor(c), c.req.valid("json")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/refresh",
      tags,
      summary: "Exchange a refresh token for a new session (the old token stops working)",
      request: { body: jsonBody(RefreshBody) },
      responses: { 200: json(Session, "New session"), 400: errors[400], 401: errors[401] },
    }),
    async (c) => c.json(await refresh(c.get("deps"), anonymousActor(c), c.req.valid("json").refreshToken), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags,
      summary: "End the session of a refresh token",
      request: { body: jsonBody(RefreshBody) },
      responses: { 204: { description: "Signed out" }, 400: errors[400] },
    }),
    async (c) => {
      await logout(c.get("deps"), c.req.valid("json").refreshToken);
      return c.body(null, 204);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags,
      summary: "The signed-in account",
      security: bearer,
      middleware: [requireAuth()] as const,
      responses: { 200: json(UserSchema, "The account"), ...authErrors },
    }),
    async (c) => c.json(await getOwnAccount(c.get("deps"), actorOf(c)), 200),
  );

