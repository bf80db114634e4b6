/** Dose records, reactions (adverse events), a person's record and coverage (docs/VACCINATION.md). */
import { createRouter } from "../../http/openapi";

export const vaccinationDoseRoutes = createRouter();
