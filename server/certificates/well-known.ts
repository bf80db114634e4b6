/** Public issuer documents under /.well-known (CORS open): the keys and the revocation lists. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps";
import type { AppEnv } from "../http/env";

export function mountWellKnown(app: OpenAPIHono<AppEnv>, deps: Deps) {
  app.get("/.well-known/jwks.json", (c) => {
    c.header("cache-control", "public, max-age=300");
    return c.json(deps.keys.jwks());
  });
}
