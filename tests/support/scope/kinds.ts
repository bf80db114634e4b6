export type RouteScope = "public" | "self" | "scoped";
