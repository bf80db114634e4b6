import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// Every path is resolved from this file, so `vite build --config web/vite.config.ts` works from the
// repository root and `vite` works from inside web/.
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// The API server (server/main.ts) listens on 3000 by default; the dev server forwards to it.
const apiTarget = "http://127.0.0.1:3000";
const proxy = {
  "/api": { target: apiTarget, changeOrigin: false },
  "/healthz": { target: apiTarget, changeOrigin: false },
  "/.well-known": { target: apiTarget, changeOrigin: false },
};

export default defineConfig({
  root: here("."),
  // The API server serves web/dist at `/` and falls back to index.html for non-API GETs.
  base: "/",
  plugins: [solid()],
  build: {
    outDir: here("./dist"),
    emptyOutDir: true,
    target: "es2022",
    // One entry per page family. The portal is the big one; the citizen check-in page gets an
    // entry of its own so a phone scanning a poster never downloads the portal bundle.
    // (Vite 8 bundles with Rolldown; `rolldownOptions` is the non-deprecated name of `rollupOptions`.)
    rolldownOptions: {
      input: {
        portal: here("./index.html"),
        // Served by GET /c/<token> with the venue injected at <!--VENUE_DATA-->; budget ≤ 30 KB gzipped JS.
        checkin: here("./checkin.html"),
        // The citizen app (sign-in by phone, health QR, declarations, reports), served at /app; budget < 60 KB gzipped JS.
        citizen: here("./citizen.html"),
        // The health-card verifier, served at /verify: scans and checks cards in the browser, offline once loaded.
        verify: here("./verify.html"),
        // The province's public situation page, served at /tinh-hinh/<code>: its own tiny entry, no sign-in.
        situation: here("./situation.html"),
      },
    },
  },
  server: { host: "127.0.0.1", port: 5173, proxy },
  preview: { host: "127.0.0.1", port: 4173, proxy },
});
