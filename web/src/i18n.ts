/**
 * Every text of the portal, Vietnamese first and English second. `t(key)` is reactive: switching
 * the language re-renders the texts in place. The choice is kept in localStorage.
 */
import { createSignal } from "solid-js";
import type { Role } from "./api";

const vi = {
  "app.name": "Nền tảng Y tế Công cộng",
  "app.portal": "Cổng quản trị",
  "app.loading": "Đang tải…",
  "app.skipToContent": "Bỏ qua, đến nội dung chính",

  "lang.label": "Ngôn ngữ",
  "lang.vi": "Tiếng Việt",
  "lang.en": "English",

  "nav.label": "Điều hướng chính",
  "nav.home": "Trang chủ",
  "nav.users": "Người dùng",
  "nav.audit": "Nhật ký truy cập",
  "nav.openMenu": "Mở menu",
  "nav.closeMenu": "Đóng menu",
  "nav.logout": "Đăng xuất",

  "login.title": "Đăng nhập",
  "login.subtitle": "Dành cho cán bộ y tế và quản trị viên các cấp.",
  "login.username": "Tên đăng nhập",
  "login.password": "Mật khẩu",
  "login.showPassword": "Hiện mật khẩu",
  "login.submit": "Đăng nhập",
  "login.submitting": "Đang đăng nhập…",
  "login.expired": "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
  "login.footer": "Mọi truy cập dữ liệu cá nhân đều được ghi nhật ký.",

  "error.title": "Không thực hiện được",
  "error.invalid_credentials": "Sai tên đăng nhập hoặc mật khẩu.",
  "error.rate_limited": "Bạn đã thử quá nhiều lần. Vui lòng đợi ít phút rồi thử lại.",
  "error.network": "Không kết nối được máy chủ. Kiểm tra mạng rồi thử lại.",
  "error.unauthorized": "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.",
  "error.forbidden": "Bạn không có quyền thực hiện thao tác này.",
  "error.not_found": "Không tìm thấy dữ liệu.",
  "error.conflict": "Dữ liệu đã tồn tại.",
  "error.unknown": "Đã có lỗi xảy ra. Vui lòng thử lại.",
  "error.requestId": "Mã yêu cầu",
  "error.dismiss": "Ẩn thông báo",
  "error.noAccess": "Bạn không có quyền xem trang này.",

  "common.loading": "Đang tải…",
  "common.loadMore": "Tải thêm",
  "common.retry": "Thử lại",
  "common.save": "Lưu",
  "common.saving": "Đang lưu…",
  "common.cancel": "Hủy",
  "common.close": "Đóng",
  "common.confirm": "Xác nhận",
  "common.search": "Tìm kiếm",
  "common.filter": "Lọc",
  "common.clearFilters": "Xóa bộ lọc",
  "common.all": "Tất cả",
  "common.empty": "Không có kết quả phù hợp.",
  "common.end": "Đã hiển thị tất cả.",
  "common.shown": "Đang hiển thị {n}",
  "common.required": "Vui lòng nhập trường này.",
  "common.requiredSelect": "Vui lòng chọn.",
  "common.backHome": "Về trang chủ",
  "common.remove": "Bỏ",

  "area.national": "Toàn quốc",
  "area.province": "Tỉnh/Thành phố",
  "area.commune": "Xã/Phường",
  "area.chooseProvince": "— Chọn tỉnh/thành phố —",
  "area.chooseCommune": "— Chọn xã/phường —",
  "area.noCommune": "— Cả tỉnh/thành phố —",
  "area.anyProvince": "Mọi tỉnh/thành phố",
  "area.anyCommune": "Mọi xã/phường",

  "home.greeting": "Xin chào, {name}",
  "home.lead": "Chào mừng bạn đến cổng quản trị của Nền tảng Y tế Công cộng.",
  "home.account": "Tài khoản của bạn",
  "home.username": "Tên đăng nhập",
  "home.role": "Vai trò",
  "home.area": "Địa bàn",
  "home.lastLogin": "Đăng nhập gần nhất",
  "home.memberSince": "Ngày tạo tài khoản",
  "home.quickLinks": "Truy cập nhanh",
  "home.users.desc": "Tạo, tìm kiếm, khóa tài khoản và phân công địa bàn cho cán bộ.",
  "home.audit.desc": "Xem ai đã truy cập hay thay đổi dữ liệu, khi nào và từ đâu.",
  "home.nothingYet": "Các chức năng dành cho vai trò của bạn sẽ sớm có trên cổng này.",

  "users.title": "Quản lý người dùng",
  "users.lead": "Tài khoản cán bộ trong địa bàn của bạn.",
  "users.search": "Tìm theo tên đăng nhập hoặc họ tên",
  "users.filterRole": "Vai trò",
  "users.col.username": "Tên đăng nhập",
  "users.col.displayName": "Họ và tên",
  "users.col.role": "Vai trò",
  "users.col.area": "Địa bàn",
  "users.col.status": "Trạng thái",
  "users.col.lastLogin": "Đăng nhập gần nhất",
  "users.col.actions": "Thao tác",
  "users.status.active": "Đang hoạt động",
  "users.status.disabled": "Đã khóa",
  "users.never": "Chưa đăng nhập",
  "users.you": "Bạn",
  "users.disable": "Khóa",
  "users.enable": "Mở khóa",
  "users.editArea": "Sửa địa bàn",
  "users.history": "Nhật ký",
  "users.confirmDisable.title": "Khóa tài khoản?",
  "users.confirmDisable.body": "{name} ({username}) sẽ không đăng nhập được cho đến khi được mở khóa.",
  "users.disabledOk": "Đã khóa tài khoản {username}.",
  "users.enabledOk": "Đã mở khóa tài khoản {username}.",
  "users.areaSaved": "Đã cập nhật địa bàn của {username}.",
  "users.editArea.title": "Sửa địa bàn",
  "users.editArea.lead": "Tài khoản {username} · {role}",

  "users.create.open": "Thêm người dùng",
  "users.create.title": "Tạo người dùng mới",
  "users.create.submit": "Tạo tài khoản",
  "users.create.created": "Đã tạo tài khoản {username}.",
  "users.form.username": "Tên đăng nhập",
  "users.form.usernameHint": "Chữ thường, số, dấu chấm, gạch dưới hoặc gạch ngang.",
  "users.form.displayName": "Họ và tên",
  "users.form.password": "Mật khẩu ban đầu",
  "users.form.passwordHint": "Người dùng nên đổi mật khẩu sau lần đăng nhập đầu tiên.",
  "users.form.role": "Vai trò",

  "audit.title": "Nhật ký truy cập",
  "audit.lead": "Mỗi lần đọc hoặc thay đổi dữ liệu cá nhân đều được ghi lại.",
  "audit.filter.action": "Hành động",
  "audit.filter.actionPlaceholder": "vd. user.create",
  "audit.filter.subjectType": "Loại đối tượng",
  "audit.filter.subjectTypePlaceholder": "vd. user",
  "audit.filter.from": "Từ ngày",
  "audit.filter.to": "Đến ngày",
  "audit.filter.actor": "Người thực hiện",
  "audit.filter.subject": "Đối tượng",
  "audit.filter.badRange": "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
  "audit.col.at": "Thời gian",
  "audit.col.actor": "Người thực hiện",
  "audit.col.action": "Hành động",
  "audit.col.subject": "Đối tượng",
  "audit.col.area": "Địa bàn",
  "audit.col.origin": "Nguồn",
  "audit.col.details": "Chi tiết",
  "audit.byActor": "Chỉ xem thao tác của người này",
  "audit.bySubject": "Chỉ xem đối tượng này",
  "audit.system": "Hệ thống",
  "audit.showDetails": "Xem",

  "notFound.title": "Không tìm thấy trang",
  "notFound.body": "Địa chỉ bạn mở không tồn tại hoặc đã được chuyển đi.",

  "role.citizen": "Người dân",
  "role.venue_staff": "Nhân viên địa điểm",
  "role.commune_officer": "Cán bộ xã/phường",
  "role.province_officer": "Cán bộ tỉnh",
  "role.health_officer": "Cán bộ y tế",
  "role.national_admin": "Quản trị quốc gia",
} as const;

export type MessageKey = keyof typeof vi;

const en: Record<MessageKey, string> = {
  "app.name": "Public Health Platform",
  "app.portal": "Portal",
  "app.loading": "Loading…",
  "app.skipToContent": "Skip to main content",

  "lang.label": "Language",
  "lang.vi": "Tiếng Việt",
  "lang.en": "English",

  "nav.label": "Main navigation",
  "nav.home": "Home",
  "nav.users": "Users",
  "nav.audit": "Audit log",
  "nav.openMenu": "Open menu",
  "nav.closeMenu": "Close menu",
  "nav.logout": "Log out",

  "login.title": "Sign in",
  "login.subtitle": "For health officers and administrators at every level.",
  "login.username": "Username",
  "login.password": "Password",
  "login.showPassword": "Show password",
  "login.submit": "Sign in",
  "login.submitting": "Signing in…",
  "login.expired": "Your session has expired. Please sign in again.",
  "login.footer": "Every access to personal data is recorded in the audit log.",

  "error.title": "Something went wrong",
  "error.invalid_credentials": "Wrong username or password.",
  "error.rate_limited": "Too many attempts. Please wait a few minutes and try again.",
  "error.network": "Cannot reach the server. Check your connection and try again.",
  "error.unauthorized": "Your session has expired. Please sign in again.",
  "error.forbidden": "You are not allowed to do this.",
  "error.not_found": "Not found.",
  "error.conflict": "This already exists.",
  "error.unknown": "Something went wrong. Please try again.",
  "error.requestId": "Request ID",
  "error.dismiss": "Dismiss",
  "error.noAccess": "You are not allowed to view this page.",

  "common.loading": "Loading…",
  "common.loadMore": "Load more",
  "common.retry": "Retry",
  "common.save": "Save",
  "common.saving": "Saving…",
  "common.cancel": "Cancel",
  "common.close": "Close",
  "common.confirm": "Confirm",
  "common.search": "Search",
  "common.filter": "Filter",
  "common.clearFilters": "Clear filters",
  "common.all": "All",
  "common.empty": "Nothing matches.",
  "common.end": "That's everything.",
  "common.shown": "Showing {n}",
  "common.required": "This field is required.",
  "common.requiredSelect": "Please choose one.",
  "common.backHome": "Back to home",
  "common.remove": "Remove",

  "area.national": "Nationwide",
  "area.province": "Province/City",
  "area.commune": "Commune/Ward",
  "area.chooseProvince": "— Choose a province —",
  "area.chooseCommune": "— Choose a commune —",
  "area.noCommune": "— Whole province —",
  "area.anyProvince": "Any province",
  "area.anyCommune": "Any commune",

  "home.greeting": "Hello, {name}",
  "home.lead": "Welcome to the portal of the Public Health Platform.",
  "home.account": "Your account",
  "home.username": "Username",
  "home.role": "Role",
  "home.area": "Area",
  "home.lastLogin": "Last sign-in",
  "home.memberSince": "Account created",
  "home.quickLinks": "Quick links",
  "home.users.desc": "Create, find and disable accounts, and assign officers to their area.",
  "home.audit.desc": "See who read or changed data, when, and from where.",
  "home.nothingYet": "The tools for your role will appear here soon.",

  "users.title": "Users",
  "users.lead": "Staff accounts in your area.",
  "users.search": "Search by username or name",
  "users.filterRole": "Role",
  "users.col.username": "Username",
  "users.col.displayName": "Name",
  "users.col.role": "Role",
  "users.col.area": "Area",
  "users.col.status": "Status",
  "users.col.lastLogin": "Last sign-in",
  "users.col.actions": "Actions",
  "users.status.active": "Active",
  "users.status.disabled": "Disabled",
  "users.never": "Never",
  "users.you": "You",
  "users.disable": "Disable",
  "users.enable": "Enable",
  "users.editArea": "Edit area",
  "users.history": "History",
  "users.confirmDisable.title": "Disable this account?",
  "users.confirmDisable.body": "{name} ({username}) will not be able to sign in until the account is enabled again.",
  "users.disabledOk": "Account {username} disabled.",
  "users.enabledOk": "Account {username} enabled.",
  "users.areaSaved": "Area of {username} updated.",
  "users.editArea.title": "Edit area",
  "users.editArea.lead": "Account {username} · {role}",

  "users.create.open": "Add user",
  "users.create.title": "New user",
  "users.create.submit": "Create account",
  "users.create.created": "Account {username} created.",
  "users.form.username": "Username",
  "users.form.usernameHint": "Lowercase letters, digits, dots, underscores or hyphens.",
  "users.form.displayName": "Full name",
  "users.form.password": "Initial password",
  "users.form.passwordHint": "Ask the user to change it after the first sign-in.",
  "users.form.role": "Role",

  "audit.title": "Audit log",
  "audit.lead": "Every read or change of personal data is recorded.",
  "audit.filter.action": "Action",
  "audit.filter.actionPlaceholder": "e.g. user.create",
  "audit.filter.subjectType": "Subject type",
  "audit.filter.subjectTypePlaceholder": "e.g. user",
  "audit.filter.from": "From",
  "audit.filter.to": "To",
  "audit.filter.actor": "Actor",
  "audit.filter.subject": "Subject",
  "audit.filter.badRange": "The start date must be on or before the end date.",
  "audit.col.at": "Time",
  "audit.col.actor": "Actor",
  "audit.col.action": "Action",
  "audit.col.subject": "Subject",
  "audit.col.area": "Area",
  "audit.col.origin": "Origin",
  "audit.col.details": "Details",
  "audit.byActor": "Only this actor's actions",
  "audit.bySubject": "Only this subject",
  "audit.system": "System",
  "audit.showDetails": "Show",

  "notFound.title": "Page not found",
  "notFound.body": "The address you opened does not exist or has moved.",

  "role.citizen": "Citizen",
  "role.venue_staff": "Venue staff",
  "role.commune_officer": "Commune officer",
  "role.province_officer": "Province officer",
  "role.health_officer": "Health officer",
  "role.national_admin": "National administrator",
};

export type Locale = "vi" | "en";
const dictionaries: Record<Locale, Record<MessageKey, string>> = { vi, en };
const LOCALE_KEY = "php.portal.locale";

function initialLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

const [locale, setLocaleSignal] = createSignal<Locale>(initialLocale());
export { locale };

function applyToDocument(value: Locale) {
  document.documentElement.lang = value;
  document.title = dictionaries[value]["app.name"];
}
applyToDocument(locale());

export function setLocale(value: Locale): void {
  setLocaleSignal(value);
  try {
    localStorage.setItem(LOCALE_KEY, value);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  applyToDocument(value);
}

/** The text for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[locale()][key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export function hasMessage(key: string): key is MessageKey {
  return key in vi;
}

export const roleLabel = (role: Role): string => t(`role.${role}`);

/** BCP 47 tag for Intl: Vietnamese dates as 22/11/2025, English ones the British way. */
export const intlLocale = (): string => (locale() === "vi" ? "vi-VN" : "en-GB");

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(kind: "datetime" | "date"): Intl.DateTimeFormat {
  const tag = intlLocale();
  const id = `${tag}:${kind}`;
  let f = formatters.get(id);
  if (!f) {
    f = new Intl.DateTimeFormat(
      tag,
      kind === "datetime"
        ? { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit" }
        : { day: "2-digit", month: "2-digit", year: "numeric" },
    );
    formatters.set(id, f);
  }
  return f;
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter("datetime").format(date);
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatter("date").format(date);
}
