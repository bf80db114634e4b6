/** The tests screens, one lazily loaded chunk: the app's first load stays small. */
export { TestCertificate } from "./Certificate";
export { Tests } from "./Tests";
