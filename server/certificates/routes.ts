/** Health-card certificates: citizens' and officers' downloads, revocation, verification (docs/VACCINATION.md). */
import { createRouter } from "../http/openapi";

export const certificateRoutes = createRouter();
