/** Registration and appointments: request and answer shapes (docs/VACCINATION.md). */
import { z } from "@hono/zod-openapi";
import { APPOINTMENT_STATUSES, PRIORITY_GROUPS } from "../../../db/schema";
import { Day, msg } from "../../http/fields";
import { PageQuery, pageSchema } from "../../http/pagination";
import { PersonRef } from "../../tracing/schemas";
import { Dose } from "../doses/schemas";

export const APPOINTMENT_QR_PREFIX = "PHC-APT:";

const Id = (vi: string, en: string) => z.string().uuid(msg(vi, en));
export const AppointmentIdParam = z.object({ id: Id("Mã lịch hẹn không hợp lệ", "Not an appointment id").openapi({ param: { name: "id", in: "path" } }) });

const PriorityGroup = z
  .enum(PRIORITY_GROUPS, {
    error: msg(
      "Nhóm ưu tiên: health_worker, frontline, elderly, chronic_disease, pregnant hoặc general",
      "Priority group: health_worker, frontline, elderly, chronic_disease, pregnant or general",
    ),
  })
  .openapi({ example: "general" });

const DoseNumber = z
  .number({ error: msg("Mũi số là số nguyên từ 1", "The dose number is a whole number from 1") })
  .int(msg("Mũi số là số nguyên", "The dose number is a whole number"))
  .min(1, msg("Mũi số từ 1", "Dose numbers start at 1"))
  .max(20, msg("Mũi số tối đa 20", "At most dose 20"));

const SlotId = Id("Mã khung giờ không hợp lệ", "Not a slot id");

const registration = {
  priorityGroup: PriorityGroup.default("general"),
  doseNumber: DoseNumber.optional().openapi({ description: "Default: the person's next dose" }),
  slotId: SlotId.optional().openapi({ description: "Book this slot at once" }),
};

export const MyRegistration = z
  .object({
    personId: Id("Mã người không hợp lệ", "Not a person id").optional().openapi({ description: "A family member; absent: the account's own person" }),
    ...registration,
  })
  .openapi("MyVaccinationRegistration");
export type MyRegistrationT = z.infer<typeof MyRegistration>;

export const StaffRegistration = z.intersection(PersonRef, z.object(registration)).openapi("VaccinationRegistration");
export type StaffRegistrationT = z.infer<typeof StaffRegistration>;

export const BookRequest = z.object({ slotId: SlotId }).openapi("BookAppointment");

export const CheckInRequest = z
  .object({
    code: z
      .string({ error: msg("Quét mã QR hoặc nhập mã lịch hẹn", "Scan the QR or type the appointment code") })
      .trim()
      .min(1, msg("Quét mã QR hoặc nhập mã lịch hẹn", "Scan the QR or type the appointment code"))
      .max(200, msg("Mã quá dài", "The code is too long"))
      .openapi({ description: `The scanned QR text (${APPOINTMENT_QR_PREFIX}<code>) or the code alone` }),
  })
  .openapi("AppointmentCheckIn");

export const Appointment = z
  .object({
    id: z.string().uuid(),
    personId: z.string().uuid(),
    personName: z.string(),
    doseNumber: z.number().int(),
    priorityGroup: z.enum(PRIORITY_GROUPS),
    status: z.enum(APPOINTMENT_STATUSES),
    siteId: z.string().uuid().nullable(),
    siteName: z.string().nullable(),
    slot: z.object({ startsAt: z.string(), endsAt: z.string() }).nullable(),
    code: z.string().nullable().openapi({ description: "Only to the citizen, and to staff who just scanned it" }),
    checkedInAt: z.string().nullable(),
    vaccinationId: z.string().uuid().nullable(),
    createdAt: z.string(),
  })
  .openapi("Appointment");
export const AppointmentList = pageSchema(Appointment).openapi("AppointmentList");

export const AppointmentDetail = Appointment.extend({
  person: z.object({ id: z.string().uuid(), fullName: z.string(), birthYear: z.number().int().nullable(), phone: z.string().nullable() }),
  history: z.array(Dose),
}).openapi("AppointmentDetail");

export const MyAppointmentsQuery = z.object({ ...PageQuery });

export const AppointmentListQuery = z.object({
  siteId: Id("Mã điểm tiêm không hợp lệ", "Not a site id").optional(),
  day: Day.optional().openapi({ description: "Appointments booked into slots of this day (Vietnam)" }),
  status: z.enum(APPOINTMENT_STATUSES, { error: msg("Trạng thái lịch hẹn không hợp lệ", "Not an appointment status") }).optional(),
  priorityGroup: PriorityGroup.optional(),
  q: z.string().trim().max(100, msg("Tối đa 100 ký tự", "At most 100 characters")).optional().openapi({ description: "Part of the name, or the start of the phone number" }),
  ...PageQuery,
});
