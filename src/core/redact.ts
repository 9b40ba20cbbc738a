/**
 * Default PII scrubbing, applied to every string of an event before it leaves the page: email
 * addresses, `Bearer`/`Basic` credentials, JWTs, passwords in URLs (`scheme://user:password@host`),
 * card numbers that pass the Luhn check, and the values of query (and path) parameters named like
 * secrets. Values under keys named like secrets go whole.
 *
 * A name is a secret's as a whole word or by a known suffix, never for a substring, so that
 * `sort_key`, `monkey`, `author`, `country_code` and `tokens_used` stay (case-insensitive):
 * - any name ending in `token`, `secret`, `password`, `passwd` or `apikey` (`access_token`,
 *   `csrftoken`, `client_secret`, `newPassword`, `X-Amz-Security-Token`);
 * - a key of a known kind: `api_key`, `private_key`, `secret_key`, `access_key`, `signing_key`,
 *   `client_key`, `encryption_key`, `master_key` (also as `privateKey`);
 * - as the name or its last word: `auth`, `authorization`, `session`, `session_id`, `sessionid`,
 *   `jsessionid`, `phpsessid`, `sid`, `pwd`, `pass`, `signature`, `credential(s)`, `cookie`
 *   (`x-auth`, `user_session`, `X-Amz-Signature`, `;jsessionid=` in a path);
 * - as the whole name of a parameter only: `key`, `code` (OAuth), `sig`. As attribute keys these
 *   three are ordinary (a key pressed, an error code).
 *
 * Card numbers: 14 to 19 digits, or groups of four (4-6-5 and 4-6-4 for Amex and Diners), starting
 * with 2 to 6 (every major network; https://en.wikipedia.org/wiki/Payment_card_number#Issuer_identification_number_(IIN)),
 * not part of a longer word or dashed id (a UUID, a date), and passing the Luhn check. 13 digits are
 * an EAN barcode or a millisecond timestamp far more often than a card (13-digit Visa numbers are
 * retired), so they stay. A card number held as a JS number is one too.
 */

/** A parameter name made of a secret's name (see above), as one alternation; anchored by the caller. */
const NAME = String.raw`[\w.-]*(?:token|secret|password|passwd|apikey)|[\w.-]*?(?:api|private|secret|access|signing|client|encryption|master)[_-]?key|(?:[\w.-]*[_.-])?(?:auth|authorization|session|session[_-]?id|j?sessionid|phpsessid|sid|pwd|pass|signature|credentials?|cookie)`;

/** Query or path parameters named like secrets; `$1` keeps the name. */
const SECRET_PARAM = new RegExp(String.raw`([?&#;](?:${NAME}|key|code|sig)=)[^&#;\s"'<>]*`, 'gi');

/**
 * Everything else but cards in one pass, so a string is scanned once: credentials after an auth
 * scheme, secret parameter values, a URL's password, JWTs (three base64url parts, the first an
 * encoded `{"`). Each alternative starts at a word boundary or a delimiter, so none rescans a long
 * string from every position.
 */
const PII = new RegExp(
  String.raw`\b(bearer|basic)\s+([\w~.+/=-]+)|([?&#;](?:${NAME}|key|code|sig)=)[^&#;\s"'<>]*|(:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)|\b(eyJ[\w-]+\.[\w-]+\.[\w-]*)`,
  'gi',
);

/** Card numbers (see above), on their own: only strings with four digits in a row are scanned. */
const CARD = /(?<![\w-])(?:[2-6]\d{13,18}|[2-6]\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?:\1?\d{1,3})?|3\d{3}([ -])\d{6}\2\d{4,5})(?![\w-])/g;

/**
 * Emails, on their own: a local part can start at any word, which makes this the slow pattern, so
 * it only runs on strings with an `@`. At most 64 characters before the `@` (RFC 5321 §4.5.3.1.1),
 * so a long string is not rescanned from every word; the domain ends in letters, so `react@18.2.0`
 * in a CDN URL is no email, and is not followed by `:path`, so `git@github.com:org/repo.git` (an
 * SSH remote) is none either; nor is the user name of a URL (`https://user@host/`, after `//`).
 */
const EMAIL = /(?<![\w.+/-])[\w.+-]{1,64}@(?:[\w-]+\.)+[a-z]{2,}\b(?!\.?[\w-]|:[\w~/])/gi;

/** A word of prose, as opposed to a token: all lower case, perhaps capitalized. */
const WORD = /^[A-Z]?[a-z]*$/;

/** Attribute keys whose values are secrets, whatever they hold. */
const SECRET_KEY = new RegExp(`^(?:${NAME})$`, 'i');

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

/** A Basic credential is base64 of `user:password`; "basic HTML" or "Basic Settings" decode to no such thing. */
function isBasicCredential(token: string): boolean {
  try {
    return atob(token).includes(':');
  } catch {
    return false;
  }
}

function replace(match: string, scheme?: string, token?: string, param?: string, userinfo?: string, jwt?: string): string {
  // A credential is no plain word: "Bearer dXNlcjpwYXNz" goes, "the bearer token expired" stays.
  if (scheme) return (scheme.toLowerCase() === 'basic' ? isBasicCredential(token!) : !WORD.test(token!)) ? scheme + ' [redacted]' : match;
  if (param) return param + '[redacted]';
  if (userinfo) return userinfo + '[redacted]';
  return jwt ? '[jwt]' : match;
}

const scrub = (text: string): string => {
  let clean = (text.includes('@') ? text.replace(EMAIL, '[email]') : text).replace(PII, replace);
  if (/\d{4}/.test(clean)) clean = clean.replace(CARD, (match) => (luhn(match) ? '[card]' : match));
  return clean;
};

/** A card number held as a number: 14 to 16 digits (all a double holds exactly), 2 to 6 first, Luhn-valid. */
const isCardNumber = (value: number): boolean =>
  Number.isSafeInteger(value) && value >= 2e13 && value < 7e15 && /^[2-6]/.test(String(value)) && luhn(String(value));

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

/** Values that scrubbing changed since the last `takeRedacted()`; counted in the development build only, for `debug: true`. */
let redacted = 0;

export function takeRedacted(): number {
  const count = redacted;
  redacted = 0;
  return count;
}

/**
 * Scrubs a value an event is about to carry, in place: every string redacted, at any depth, values
 * under secret keys (`key` is the value's own) replaced; a number that is a card number becomes
 * `[card]`, other numbers, booleans and null are left as they are. In place, because what an event carries is the client's
 * own by then (attributes normalized into fresh copies, what integrations hand to `capture`):
 * copying it again was a third of the cost of a flush. Never throws: a part that can't be read or
 * written is replaced whole, not sent.
 */
export function redactValue<T>(value: T, key = '', depth = 0): T {
  try {
    if (value == null) return value;
    if (SECRET_KEY.test(key)) {
      if (__DEV__ && value !== '[redacted]') redacted++;
      return '[redacted]' as T;
    }
    if (typeof value === 'string') {
      const clean = redactString(value);
      if (__DEV__ && clean !== value) redacted++;
      return clean as T;
    }
    if (typeof value === 'number') {
      const card = isCardNumber(value);
      if (__DEV__ && card) redacted++;
      return (card ? '[card]' : value) as T;
    }
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
