/** Announcements of a province and its public situation page data (docs/STATS.md). */
import { createRouter } from "../../http/openapi";

export const announcementRoutes = createRouter();
