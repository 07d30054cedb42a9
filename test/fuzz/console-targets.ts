import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { LOGIN_COOKIE, SESSION_COOKIE } from '../../src/console/auth/cookies.js';
import { CSRF_FIELD, loginCsrfToken } from '../../src/console/auth/csrf.js';
import { CODE_PATH, LOGIN_PATH } from '../../src/console/auth/login-page.js';
import { loadKeyring } from '../../src/platform/crypto/keyring.js';
import { SealedBox } from '../../src/platform/crypto/sealed-box.js';
import { createLogger } from '../../src/platform/logger.js';
import type { FuzzTarget } from './fuzz-run.js';
import { KNOWN_USER, ROLE_NAMES, type FuzzService } from './fuzz-service.js';
import { fieldName, formBody, textField, type FormPart } from './form-bodies.js';
import { headerValue, hostileBody, hostileHeaders, hostileJson, hostileText, pathVariant } from './hostile.js';
import type { AllowedWrite } from './key-snapshot.js';

/** The console's forms read urlencoded bodies up to 16kb. */
const FORM_LIMIT = 16 * 1024;

const SIGN_IN_RECORDS: readonly AllowedWrite[] = [
  { pattern: /^console:login-failures:/, why: 'failed sign-ins are counted per account and per address on purpose, to lock out guessing' },
  {
    pattern: /^audit(:(action|subject):.+)?$/,
    why: 'failed sign-ins are written to the audit stream and its indexes on purpose (by hashed address, never the password)',
  },
];

/**
 * The console's sign-in forms, with a login cookie and CSRF token that are usually right (so the checks behind
 * them are reached), usernames and passwords hostile or real, and bodies as forms or anything else. Cases come
 * from a handful of addresses, so the lockout is reached and tried too.
 */
export function consoleTargets(fz: FuzzService): FuzzTarget[] {
  const box = new SealedBox(loadKeyring(fz.service.config.secrets, createLogger('silent')));
  /** The browser's login cookie, usually the one the CSRF token was made for, and the token as a form field. */
  const browser = (loginId: string) => ({
    cookie: fc.oneof(
      { weight: 10, arbitrary: fc.constant(`${LOGIN_COOKIE}=${loginId}`) },
      { weight: 1, arbitrary: fc.constantFrom('', `${LOGIN_COOKIE}=`, `${LOGIN_COOKIE}=${'A'.repeat(43)}`, `${SESSION_COOKIE}=${randomBytes(32).toString('base64url')}; ${LOGIN_COOKIE}=${loginId}`, `${LOGIN_COOKIE}=${loginId}; ${LOGIN_COOKIE}=x`) },
      { weight: 1, arbitrary: headerValue },
    ),
    csrf: fc.oneof(
      { weight: 8, arbitrary: fc.constant({ name: CSRF_FIELD, value: loginCsrfToken(box, loginId) }) },
      { weight: 1, arbitrary: fc.option(textField(CSRF_FIELD, fc.constant(''), 300), { nil: null }) },
    ),
  });
  const extra = fc.oneof(
    { weight: 5, arbitrary: fc.constant([]) },
    { weight: 1, arbitrary: fc.array(fc.record({ name: fieldName([CSRF_FIELD, 'username', 'password', 'code']), value: hostileText(20_000) }), { minLength: 1, maxLength: 3 }) },
  );
  const signingIn = browser(randomBytes(32).toString('base64url'));
  const signInParts = fc
    .tuple(
      signingIn.csrf,
      fc.option(textField('username', fc.constantFrom(...Object.values(ROLE_NAMES), KNOWN_USER.username.toUpperCase(), ` ${KNOWN_USER.username} `), 2_000), { freq: 8 }),
      fc.option(textField('password', fc.constant(KNOWN_USER.password), 2_000), { freq: 8 }),
      extra,
    )
    .map(([token, username, password, more]) => [token, username, password, ...more].filter((part): part is FormPart => part !== null));
  const waitingForCode = browser(fz.pendingLoginId);
  const codeParts = fc
    .tuple(waitingForCode.csrf, fc.option(textField('code', fc.stringMatching(/^\d{6}$/), 100), { freq: 8 }), extra)
    .map(([token, code, more]) => [token, code, ...more].filter((part): part is FormPart => part !== null));

  const target = (path: string, parts: fc.Arbitrary<FormPart[]>, cookie: fc.Arbitrary<string>): FuzzTarget => {
    const body = fc.oneof(
      { weight: 8, arbitrary: formBody(parts, 'urlencoded') },
      { weight: 1, arbitrary: hostileBody(hostileJson(['username', 'password', CSRF_FIELD]), FORM_LIMIT).map((bytes) => ({ contentType: 'application/json', body: bytes })) },
    );
    const cases = fc
      .record({
        path: pathVariant(path),
        body,
        cookie,
        from: fc.integer({ min: 2, max: 17 }).map((n) => `127.0.9.${n}`),
        extra: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: hostileHeaders }),
      })
      .map(({ path: sentTo, body: form, cookie: cookies, from, extra: headers }) => ({
        method: 'POST',
        path: sentTo,
        body: form.body,
        from,
        headers: { 'content-type': form.contentType, ...(cookies === '' ? {} : { cookie: cookies }), ...headers },
      }));
    return { name: `POST ${path}`, cases, allowedWrites: SIGN_IN_RECORDS, bodyLimit: FORM_LIMIT };
  };
  return [target(LOGIN_PATH, signInParts, signingIn.cookie), target(CODE_PATH, codeParts, waitingForCode.cookie)];
}
