/** Public issuer documents under /.well-known (CORS open): the keys and the revocation lists. */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Deps } from "../deps";
import type { AppEnv } from "../http/env";
import { errorBody } from "../http/errors";
import { revocationList } from "./service";

export function mountWellKnown(app: OpenAPIHono<AppEnv>, deps: Deps) {
  // The SMART Health Card key carries crlVersion, the counter of its revocation list: verifiers
  // fetch the list again only when it changed. Short cache: a revocation shows within a minute.
  app.get("/.well-known/jwks.json", async (c) => {
    const crl = await revocationList(deps, deps.keys.signing("shc").kid);
    c.header("cache-control", "public, max-age=60");
    return c.json(deps.keys.jwks({ shc: { crlVersion: crl!.ctr } }));
  });

  app.get("/.well-known/crl/:file", async (c) => {
    const m = /^([A-Za-z0-9_-]{1,100})\.json$/.exec(c.req.param("file"));
    const crl = m ? await revocationList(deps, m[1]!) : null;
    if (!crl) return c.json(errorBody(c, "not_found", "No revocation list for this key"), 404);
    c.header("cache-control", "public, max-age=60");
    return c.json(crl);
  });
}
