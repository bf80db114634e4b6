/** Vaccination sites, slots, registration and appointments (docs/VACCINATION.md). */
import { createRouter } from "../../http/openapi";

export const vaccinationSiteRoutes = createRouter();
