/** The check-in page's words: Vietnamese first, English on request (the choice is kept on the phone). */

export type Lang = "vi" | "en";

const vi = {
  title: "Khai báo vào địa điểm",
  formIntro: "Nhập thông tin một lần. Lần sau chỉ cần bấm nút.",
  fullName: "Họ và tên",
  phone: "Số điện thoại",
  phoneHint: "10 chữ số, ví dụ 0912345678",
  birthYear: "Năm sinh",
  checkIn: "Khai báo vào",
  checkOut: "Khai báo ra",
  checkedIn: "Đã khai báo vào",
  checkedOutAt: "Đã khai báo ra lúc {t}",
  checkInAgain: "Khai báo vào lần nữa",
  sending: "Đang gửi…",
  you: "Khai báo cho:",
  notYou: "Không phải bạn?",
  edit: "Sửa thông tin",
  cancel: "Hủy",
  queued: "Đã lưu, sẽ gửi khi có mạng",
  queuedHint: "Bấm lúc {t}. Giữ trang này mở; lượt khai báo được gửi tự động khi có mạng.",
  retryNow: "Thử gửi lại",
  colourToday: "Màu hôm nay",
  personalQr: "Mã cá nhân",
  personalQrHint: "Đưa mã này cho nhân viên quét.",
  close: "Đóng",
  qrFailed: "Không hiển thị được mã. Vui lòng thử lại.",
  privacy: "Thông tin chỉ lưu trên điện thoại này và chỉ gửi cho cơ quan y tế khi bạn khai báo.",
  nameInvalid: "Vui lòng nhập họ và tên.",
  phoneInvalid: "Số di động gồm 10 chữ số, bắt đầu bằng 0 (ví dụ 0912345678).",
  yearInvalid: "Năm sinh không hợp lệ.",
  checkoutFailed: "Không gửi được. Vui lòng thử lại khi có mạng.",
  serverError: "Không khai báo được. Vui lòng thử lại.",
  errorTitle: "Không khai báo được",
};

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  title: "Venue check-in",
  formIntro: "Enter your details once. Next time just tap the button.",
  fullName: "Full name",
  phone: "Phone number",
  phoneHint: "10 digits, e.g. 0912345678",
  birthYear: "Year of birth",
  checkIn: "Check in",
  checkOut: "Check out",
  checkedIn: "Checked in",
  checkedOutAt: "Checked out at {t}",
  checkInAgain: "Check in again",
  sending: "Sending…",
  you: "Checking in as:",
  notYou: "Not you?",
  edit: "Change details",
  cancel: "Cancel",
  queued: "Saved, will send when online",
  queuedHint: "Tapped at {t}. Keep this page open; the check-in is sent automatically once you are online.",
  retryNow: "Try again now",
  colourToday: "Today's colour",
  personalQr: "Personal code",
  personalQrHint: "Show this code to the staff to scan.",
  close: "Close",
  qrFailed: "Could not show the code. Please try again.",
  privacy: "Your details stay on this phone and are sent to the health authorities only when you check in.",
  nameInvalid: "Please enter your full name.",
  phoneInvalid: "A mobile number has 10 digits and starts with 0 (e.g. 0912345678).",
  yearInvalid: "Please enter a valid year of birth.",
  checkoutFailed: "Could not send. Please try again when you are online.",
  serverError: "Could not check in. Please try again.",
  errorTitle: "Cannot check in",
};

export const dict: Record<Lang, Record<Key, string>> = { vi, en };

/** Why a venue code (or a check-in) was refused, in both languages: the error screen shows both. */
export const codeMessages: Record<string, [vi: string, en: string]> = {
  old_poster: [
    "Mã QR này đã được thay mới. Vui lòng quét mã mới tại địa điểm.",
    "This QR code has been replaced. Please scan the new code at the venue.",
  ],
  expired_code: [
    "Mã QR này đã hết hạn. Vui lòng quét lại mã đang hiển thị tại địa điểm.",
    "This QR code has expired. Please scan the code currently shown at the venue.",
  ],
  venue_suspended: [
    "Địa điểm này đang tạm dừng nhận khai báo. Vui lòng liên hệ nhân viên tại cửa.",
    "Check-in at this venue is suspended. Please ask the staff at the door.",
  ],
  venue_not_active: [
    "Địa điểm này chưa được duyệt nhận khai báo. Vui lòng liên hệ nhân viên tại cửa.",
    "This venue is not yet approved for check-in. Please ask the staff at the door.",
  ],
  invalid_code: [
    "Mã QR không hợp lệ. Vui lòng quét mã QR chính thức dán tại địa điểm.",
    "This QR code is not valid. Please scan the official QR code at the venue.",
  ],
};
