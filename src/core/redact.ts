/**
 * Default PII scrubbing, applied to every string of an event before it leaves the page: email
 * addresses, `Bearer`/`Basic` credentials, JWTs, card numbers that pass the Luhn check, and the
 * values of query parameters named like secrets. Values under keys named like secrets go whole.
 *
 * Secret query parameters are, case-insensitively: `code`; `key`, `auth`, `session`, also as the
 * last word of a longer name (`api_key`, `x-api-key`, `x_auth`, `user_session`, but not `monkey` or
 * `author`); and any name ending in `token`, `secret`, `password` or `apikey` (`access_token`,
 * `csrftoken`, `client_secret`, `newPassword`). Not `…_code`: `country_code`, `status_code` and
 * `error_code` are what a reader needs.
 *
 * Card numbers: 13 to 19 digits, single spaces or dashes between them allowed, starting with 2 to 6
 * (every major network; https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)),
 * so that millisecond timestamps (`1714…`) never count, and passing the Luhn check.
 */

/** Query parameters named like secrets (see above); `$1` keeps the name. */
const SECRET_PARAM = /([?&#;](?:[\w.-]*(?:token|secret|password|apikey)|(?:[\w.-]*[_-])?(?:key|auth|session)|code)=)[^&#\s"'<>]*/gi;

/**
 * Everything else in one pass, so a string is scanned once: credentials after an auth scheme,
 * secret query values, JWTs (three base64url parts, the first an encoded `{"`), card numbers.
 * Each alternative starts at a word boundary or a delimiter, so none rescans a long string from
 * every position.
 */
const PII =
  /\b(bearer|basic)\s+([\w~.+/=-]+)|([?&#;](?:[\w.-]*(?:token|secret|password|apikey)|(?:[\w.-]*[_-])?(?:key|auth|session)|code)=)[^&#\s"'<>]*|\b(eyJ[\w-]+\.[\w-]+\.[\w-]*)|\b[2-6](?:[ -]?\d){12,18}\b/gi;

/**
 * Emails, on their own: a local part can start at any word, which makes this the slow pattern, so
 * it only runs on strings with an `@`. At most 64 characters before the `@` (RFC 5321 §4.5.3.1.1),
 * so a long string is not rescanned from every word; the domain ends in letters, so `react@18.2.0`
 * in a CDN URL is no email.
 */
const EMAIL = /\b[\w.+-]{1,64}@(?:[\w-]+\.)+[a-z]{2,}/gi;

/** A word of prose, as opposed to a token: all lower case, perhaps capitalized. */
const WORD = /^[A-Z]?[a-z]*$/;

/** Attribute keys whose values are secrets, whatever they hold. */
const SECRET_KEY = /passw|secret|token(?!s)|authorization|api[_-]?key|cookie/i;

/** https://en.wikipedia.org/wiki/Luhn_algorithm: from the right, every second digit doubled. */
function luhn(number: string): boolean {
  const digits = number.replace(/\D/g, '');
  let sum = 0;
  for (let i = digits.length, double = false; i--; double = !double) {
    const digit = +digits[i] * (double ? 2 : 1);
    sum += digit > 9 ? digit - 9 : digit;
  }
  return sum % 10 === 0;
}

function replace(match: string, scheme?: string, token?: string, param?: string, jwt?: string): string {
  // A credential is no plain word: "Basic dXNlcjpwYXNz" goes, "basic information" stays.
  if (scheme) return WORD.test(token!) ? match : scheme + ' [redacted]';
  if (param) return param + '[redacted]';
  return jwt ? '[jwt]' : luhn(match) ? '[card]' : match;
}

const scrub = (text: string): string => (text.includes('@') ? text.replace(EMAIL, '[email]') : text).replace(PII, replace);

/**
 * Events repeat their strings (the page URL, the app's context, attribute values), so the short
 * ones are scrubbed once and looked up after: the patterns cost more than the lookup. At most 256
 * strings of up to 200 characters are kept.
 */
const scrubbed = new Map<string, string>();

export function redactString(text: string): string {
  if (text.length > 200) return scrub(text);
  let clean = scrubbed.get(text);
  if (clean === undefined) {
    if (scrubbed.size >= 256) scrubbed.clear();
    scrubbed.set(text, (clean = scrub(text)));
  }
  return clean;
}

/** Only the values of secret query parameters; the path and other parameters stay. */
export const redactUrl = (url: string): string => url.replace(SECRET_PARAM, '$1[redacted]');

/**
 * Scrubs a value an event is about to carry, in place: every string redacted, at any depth, values
 * under secret keys (`key` is the value's own) replaced; numbers (even a card number held as one),
 * booleans and null are left as they are. In place, because what an event carries is the client's
 * own by then (attributes normalized into fresh copies, what integrations hand to `capture`):
 * copying it again was a third of the cost of a flush. Never throws: a part that can't be read or
 * written is replaced whole, not sent.
 */
export function redactValue<T>(value: T, key = '', depth = 0): T {
  try {
    if (value == null) return value;
    if (SECRET_KEY.test(key)) return '[redacted]' as T;
    if (typeof value === 'string') return redactString(value) as T;
    if (typeof value !== 'object') return value;
    // Events are already normalized to a few levels; this only guards against a cycle.
    if (depth > 20) return '[redacted]' as T;
    const obj = value as Record<string, unknown>;
    for (const name in obj) obj[name] = redactValue(obj[name], name, depth + 1);
    return obj as T;
  } catch {
    return '[redacted]' as T;
  }
}
