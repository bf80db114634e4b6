/** Bulk import of dose records from CSV: upload and preview, commit, discard (docs/VACCINATION.md). */
import { createRouter } from "../../http/openapi";

export const vaccinationImportRoutes = createRouter();
