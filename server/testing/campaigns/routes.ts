/** Campaigns, testing sites and their staff, labs and their staff (docs/TESTING.md). */
import { createRouter } from "../../http/openapi";

export const testCampaignRoutes = createRouter();
