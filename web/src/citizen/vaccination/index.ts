/** The vaccination screens, one lazily loaded chunk: the app's first load stays small. */
export { AppointmentQr } from "./Appointment";
export { Book } from "./Book";
export { Certificate } from "./Certificate";
export { Reaction } from "./Reaction";
export { Vaccination } from "./Vaccination";
