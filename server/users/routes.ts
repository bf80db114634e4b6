import { createRoute } from "@hono/zod-openapi";
import { USER_MANAGER_ROLES } from "../auth/scope";
import { requireAuth } from "../auth/middleware";
import { actorOf } from "../http/actor";
import { authErrors, bearer, createRouter, errors, json, jsonBody } from "../http/openapi";
import { CreateUser, UpdateUser, UserIdParam, UserList, UserListQuery, UserSchema } from "./schemas";
import { createUser, getUser, listUsers, updateUser } from "./service";

const tags = ["Users"];
const middleware = requireAuth(...USER_MANAGER_ROLES);

export const userRoutes = createRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/users",
      tags,
      summary: "Users of the caller's area (keyset pages ordered by username)",
      security: bearer,
      middleware,
      request: { query: UserListQuery },
      responses: { 200: json(UserList, "A page of users"), ...authErrors },
    }),
    async (c) => c.json(await listUsers(c.get("deps"), actorOf(c), c.req.valid("query")), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/users",
      tags,
      summary: "Create a user in the caller's area, with a role the caller may grant",
      security: bearer,
      middleware,
      request: { body: jsonBody(CreateUser) },
      responses: { 201: json(UserSchema, "Created"), ...authErrors, 409: errors[409] },
    }),
    async (c) => c.json(await createUser(c.get("deps"), actorOf(c), c.req.valid("json")), 201),
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/users/{id}",
      tags,
      summary: "One user of the caller's area",
      security: bearer,
      middleware,
      request: { params: UserIdParam },
      responses: { 200: json(UserSchema, "The user"), ...authErrors },
    }),
    async (c) => c.json(await getUser(c.get("deps"), actorOf(c), c.req.valid("param").id), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/users/{id}",
      tags,
      summary: "Change a user's name, role, area or password, or disable/enable the account",
      security: bearer,
      middleware,
      request: { params: UserIdParam, body: jsonBody(UpdateUser) },
      responses: { 200: json(UserSchema, "Updated"), ...authErrors },
    }),
    async (c) => c.json(await updateUser(c.get("deps"), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200),
  );
