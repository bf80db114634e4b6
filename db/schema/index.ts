export * from "./admin-units";
export * from "./identity";
export * from "./audit";
export * from "./people";
export * from "./venues";
export * from "./checkins";
export * from "./tracing";
