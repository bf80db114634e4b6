/** The verifier's words: Vietnamese first, English on request (kept on the device). */
import { createSignal } from "solid-js";

export type Lang = "vi" | "en";

const vi = {
  brand: "Kiểm tra chứng nhận",
  title: "Kiểm tra chứng nhận tiêm chủng, xét nghiệm",
  lead: "Quét mã QR trên chứng nhận (SMART Health Card) hoặc dán mã dạng chữ shc:/… Việc kiểm tra diễn ra ngay trên máy này, không gửi thông tin đi đâu.",
  scan: "Quét bằng camera",
  stopCamera: "Tắt camera",
  cameraStarting: "Đang mở camera…",
  aim: "Đưa mã QR vào giữa khung hình",
  cameraDenied: "Trình duyệt không cho dùng camera. Hãy cho phép dùng camera hoặc dán mã dạng chữ.",
  noCamera: "Máy này không có camera dùng được. Hãy dán mã dạng chữ.",
  cameraBusy: "Camera đang được ứng dụng khác dùng.",
  cameraFailed: "Không mở được camera. Hãy dán mã dạng chữ.",
  pasteLabel: "Hoặc dán mã dạng chữ (shc:/…)",
  check: "Kiểm tra",
  checking: "Đang kiểm tra…",
  again: "Kiểm tra chứng nhận khác",
  valid: "HỢP LỆ",
  invalid: "KHÔNG HỢP LỆ",
  validLead: "Chữ ký số đúng, do cơ quan y tế tin cậy cấp và chưa bị thu hồi.",
  name: "Họ và tên",
  birthDate: "Ngày sinh",
  doses: "Các mũi tiêm",
  dose: "Mũi {n}",
  lot: "lô {lot}",
  issuer: "Nơi cấp",
  issuedAt: "Ngày cấp",
  tests: "Kết quả xét nghiệm",
  "testType.pcr": "Xét nghiệm RT-PCR",
  "testType.rapid_antigen": "Test nhanh kháng nguyên",
  "testType.other": "Xét nghiệm (mã {code})",
  "result.negative": "ÂM TÍNH",
  "result.positive": "DƯƠNG TÍNH",
  "result.invalid": "KHÔNG XÁC ĐỊNH",
  "result.other": "Kết quả: {code}",
  taken: "Lấy mẫu lúc {t}",
  takenDay: "Lấy mẫu ngày {t}",
  hoursAgo: "cách đây {n} giờ",
  daysAgo: "cách đây {n} ngày",
  testedBy: "Nơi xét nghiệm: {p}",
  "reason.unknown_issuer": "Nơi cấp không nằm trong danh sách tin cậy.",
  "reason.bad_signature": "Chữ ký số không đúng: chứng nhận đã bị sửa hoặc giả mạo.",
  "reason.revoked": "Chứng nhận đã bị thu hồi.",
  "reason.malformed": "Không phải mã chứng nhận tiêm chủng hoặc xét nghiệm (SMART Health Card).",
  "reason.not_yet_valid": "Chứng nhận chưa đến ngày có hiệu lực.",
  "reason.expired": "Chứng nhận đã hết hạn.",
  "reason.revocation_unknown": "Chưa có danh sách thu hồi của nơi cấp trên máy này. Hãy kết nối mạng và cập nhật khóa.",
  "reason.no_keys": "Chưa có khóa của nơi cấp trên máy này. Hãy kết nối mạng và tải lại trang một lần.",
  "reason.other": "Không kiểm tra được chứng nhận.",
  keysUpdated: "Khóa kiểm tra cập nhật lúc {t}",
  keysOffline: "Đang ngoại tuyến: dùng khóa đã lưu lúc {t}",
  keysNone: "Chưa có khóa kiểm tra. Cần kết nối mạng một lần.",
  keysLoading: "Đang tải khóa kiểm tra…",
  keysRefresh: "Cập nhật khóa",
  keysFailed: "Không cập nhật được khóa: {why}",
  trusted: "Nơi cấp tin cậy: {iss}",
  pasteEmpty: "Vui lòng dán mã bắt đầu bằng shc:/",
} as const;

export type Key = keyof typeof vi;

const en: Record<Key, string> = {
  brand: "Certificate check",
  title: "Verify a vaccination or test certificate",
  lead: "Scan the QR code of the certificate (SMART Health Card) or paste its shc:/… text. The check runs on this device; nothing is sent anywhere.",
  scan: "Scan with the camera",
  stopCamera: "Stop the camera",
  cameraStarting: "Starting the camera…",
  aim: "Hold the QR code in the middle of the frame",
  cameraDenied: "The browser does not allow the camera. Allow it, or paste the text.",
  noCamera: "No usable camera on this device. Paste the text instead.",
  cameraBusy: "Another app is using the camera.",
  cameraFailed: "Could not start the camera. Paste the text instead.",
  pasteLabel: "Or paste the text (shc:/…)",
  check: "Verify",
  checking: "Verifying…",
  again: "Verify another certificate",
  valid: "VALID",
  invalid: "NOT VALID",
  validLead: "The signature is correct, from a trusted health authority, and not revoked.",
  name: "Name",
  birthDate: "Date of birth",
  doses: "Doses",
  dose: "Dose {n}",
  lot: "lot {lot}",
  issuer: "Issuer",
  issuedAt: "Issued",
  tests: "Test result",
  "testType.pcr": "RT-PCR test",
  "testType.rapid_antigen": "Rapid antigen test",
  "testType.other": "Test (code {code})",
  "result.negative": "NEGATIVE",
  "result.positive": "POSITIVE",
  "result.invalid": "INCONCLUSIVE",
  "result.other": "Result: {code}",
  taken: "Sample taken {t}",
  takenDay: "Sample taken on {t}",
  hoursAgo: "{n} hours ago",
  daysAgo: "{n} days ago",
  testedBy: "Tested by: {p}",
  "reason.unknown_issuer": "Unknown issuer: not on the trusted list.",
  "reason.bad_signature": "Bad signature: the certificate was altered or forged.",
  "reason.revoked": "This certificate has been revoked.",
  "reason.malformed": "Not a vaccination or test certificate (SMART Health Card).",
  "reason.not_yet_valid": "The certificate is not valid yet.",
  "reason.expired": "The certificate has expired.",
  "reason.revocation_unknown": "The issuer's revocation list is not on this device. Connect and update the keys.",
  "reason.no_keys": "No issuer keys on this device yet. Connect to the internet and reload the page once.",
  "reason.other": "The certificate could not be verified.",
  keysUpdated: "Keys updated at {t}",
  keysOffline: "Offline: using the keys saved at {t}",
  keysNone: "No keys yet. An internet connection is needed once.",
  keysLoading: "Loading the keys…",
  keysRefresh: "Update keys",
  keysFailed: "Could not update the keys: {why}",
  trusted: "Trusted issuer: {iss}",
  pasteEmpty: "Please paste a code starting with shc:/",
};

const dicts: Record<Lang, Record<Key, string>> = { vi, en };
const LANG_KEY = "phc.verify.lang";

function initial(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

const [lang, setLangSignal] = createSignal<Lang>(initial());
export { lang };

export function setLang(l: Lang): void {
  setLangSignal(l);
  document.documentElement.lang = l;
  try {
    localStorage.setItem(LANG_KEY, l);
  } catch {
    /* for this visit only */
  }
}
document.documentElement.lang = lang();

export function t(key: Key, vars?: Record<string, string | number>): string {
  const s = dicts[lang()][key] ?? key;
  return vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s;
}

/** The words for a reason code of the verification (unknown codes: the generic one). */
export function reasonText(reason: string | undefined): string {
  const key = `reason.${reason}` as Key;
  return key in vi ? t(key) : t("reason.other");
}
