/** A real HTTP server of the platform on a free loopback port (for browser tests). */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { createTestPlatform, type Engine } from "./platform";

export async function startTestServer(engine: Engine = "pglite"): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const platform = await createTestPlatform(engine);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: platform.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await platform.close();
    },
  };
}
