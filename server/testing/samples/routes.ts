/** Samples, labels, pools (add, remove, seal) (docs/TESTING.md). */
import { createRouter } from "../../http/openapi";

export const testSampleRoutes = createRouter();
