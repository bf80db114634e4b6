/** Vaccine products and lots (docs/VACCINATION.md). */
import { createRouter } from "../../http/openapi";

export const vaccinationReferenceRoutes = createRouter();
