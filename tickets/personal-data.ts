// Callers' phone numbers are personal data. They are stored (the hotline and the crews must be
// able to call back), never logged, and every API response shows them masked (138****5678)
// unless the caller's role may see them. Real authentication comes later: until then every
// request is 'anonymous' and sees masked numbers; the auth layer will supply `roleOf`.

export const ROLES = ['anonymous', 'viewer', 'operator', 'dispatcher', 'crew', 'hotline', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who may see a caller's number: the hotline (calls back), dispatchers (arrange the visit) and
 * crews (phone the flat before a visit; to be narrowed to their own stations' tickets once crews
 * log in). Operators in the control room, bureau viewers and anonymous users see it masked.
 */
export function canSeePersonalData(role: Role): boolean {
  switch (role) {
    case 'hotline':
    case 'dispatcher':
    case 'crew':
      return true;
    case 'anonymous':
    case 'viewer':
    case 'operator':
    case 'admin':
      return false;
    default: {
      const never: never = role;
      return Boolean(never);
    }
  }
}

const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}\d{7,8}$/;

/**
 * A mainland mobile ("138 1234 5678", "+86-13812345678") or landline with area code
 * ("0937-6221234") as digits only, or undefined when it is neither.
 */
export function normalizePhone(raw: string): string | undefined {
  let d = raw.replace(/[\s\-()（）.]/g, '');
  if (/^(?:\+?86|0086)1\d{10}$/.test(d)) d = d.slice(d.length - 11);
  return MOBILE.test(d) || LANDLINE.test(d) ? d : undefined;
}

/** First three and last four digits kept: 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}
