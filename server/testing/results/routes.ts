/** Results of pools and samples, bulk and CSV results, the path to an F0 case, a citizen's own tests (docs/TESTING.md). */
import { createRouter } from "../../http/openapi";

export const testResultRoutes = createRouter();
