import fc from 'fast-check';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { FakeClock, MINUTE, TEST_START } from '../../testing/harness.js';
import {
  acceptedTotpStep,
  afterFailure,
  checkThrottle,
  FREE_FAILURES,
  isIdle,
  isSessionLive,
  isTotpCode,
  LOCK_AFTER_FAILURES,
  LOCK_MINUTES,
  mustEnrollTwoFactor,
  newRecoveryCodes,
  newTotpSecret,
  normalizeRecoveryCode,
  otpauthUri,
  RECOVERY_CODE_COUNT,
  SESSION_LIFETIME_MS,
  sessionExpiry,
  type ThrottleState,
  type ThrottleVerdict,
  throttleDelaySeconds,
  throttleMessage,
} from './rules.js';

const SECOND = 1000;

/** Fails once more at the clock's current instant, after checking the attempt was allowed. */
function failNow(state: ThrottleState | undefined, clock: FakeClock): ThrottleState {
  expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
  return afterFailure(state, clock.now());
}

function refused(verdict: ThrottleVerdict): Extract<ThrottleVerdict, { allowed: false }> {
  if (verdict.allowed) throw new Error('expected the attempt to be refused');
  return verdict;
}

describe('sign-in throttle', () => {
  it('lets the first four failures through at once', () => {
    const clock = new FakeClock();
    let state: ThrottleState | undefined;
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
    for (let failure = 1; failure <= FREE_FAILURES; failure += 1) {
      state = failNow(state, clock);
      expect(state).toEqual({ failures: failure, lastFailureAt: clock.iso(), lockedUntil: null });
    }
    // Still no wait after the fourth.
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
    expect(FREE_FAILURES).toBe(4);
  });

  it('then waits 1, 2, 4, 8 and 16 seconds after the last failure, and the tenth failure locks for 15 minutes', () => {
    const clock = new FakeClock();
    let state: ThrottleState | undefined;
    for (let failure = 1; failure <= FREE_FAILURES; failure += 1) state = failNow(state, clock);
    const waits = [1, 2, 4, 8, 16];
    for (const [index, wait] of waits.entries()) {
      state = failNow(state, clock);
      expect(state.failures).toBe(FREE_FAILURES + index + 1);
      expect(state.lockedUntil).toBeNull();
      expect(throttleDelaySeconds(state.failures)).toBe(wait);
      expect(checkThrottle(state, clock.now())).toEqual({ allowed: false, reason: 'wait', retryAfterSeconds: wait });
      clock.advance(wait * SECOND - 1);
      expect(checkThrottle(state, clock.now())).toEqual({ allowed: false, reason: 'wait', retryAfterSeconds: 1 });
      clock.advance(1);
      expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
    }
    expect(state?.failures).toBe(9);
    state = failNow(state, clock);
    expect(state).toEqual({
      failures: LOCK_AFTER_FAILURES,
      lastFailureAt: clock.iso(),
      lockedUntil: new Date(clock.now().getTime() + 15 * MINUTE).toISOString(),
    });
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 15 * 60 });
    clock.advance(15 * MINUTE - 1);
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 1 });
    clock.advance(1);
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
  });

  it('counts the waits from the last failure, not from the first', () => {
    const clock = new FakeClock();
    let state: ThrottleState | undefined;
    for (let failure = 1; failure <= 5; failure += 1) {
      state = failNow(state, clock);
      clock.advance(10 * MINUTE);
    }
    // The fifth failure was ten minutes ago: its one-second wait is long over.
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
    state = failNow(state, clock);
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: false, reason: 'wait', retryAfterSeconds: 2 });
  });

  it('starts the count again after a lock expires, instead of locking at the next mistake', () => {
    const clock = new FakeClock();
    let state: ThrottleState | undefined;
    for (let failure = 1; failure <= LOCK_AFTER_FAILURES; failure += 1) {
      state = failNow(state, clock);
      clock.advance(throttleDelaySeconds(state.failures) * SECOND);
    }
    expect(state?.lockedUntil).not.toBeNull();
    clock.set(state?.lockedUntil as string);
    state = failNow(state, clock);
    expect(state).toEqual({ failures: 1, lastFailureAt: clock.iso(), lockedUntil: null });
    expect(checkThrottle(state, clock.now())).toEqual({ allowed: true });
  });

  it('holds the lock however long ago the last failure was, until lockedUntil', () => {
    const now = new Date(TEST_START);
    const state: ThrottleState = {
      failures: LOCK_AFTER_FAILURES,
      lastFailureAt: new Date(now.getTime() - 14 * MINUTE).toISOString(),
      lockedUntil: new Date(now.getTime() + MINUTE).toISOString(),
    };
    expect(checkThrottle(state, now)).toEqual({ allowed: false, reason: 'locked', retryAfterSeconds: 60 });
  });

  it('needs at least 31 seconds of waiting to reach the lock, whatever the timing of the attempts (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 30, maxLength: 60 }), (gaps) => {
        const clock = new FakeClock();
        const start = clock.now().getTime();
        let state: ThrottleState | undefined;
        let counted = 0;
        for (const gap of gaps) {
          const verdict = checkThrottle(state, clock.now());
          if (verdict.allowed) {
            if (state?.lockedUntil) break; // the lock expired: a new round
            state = afterFailure(state, clock.now());
            counted += 1;
            if (state.lockedUntil) {
              expect(counted).toBe(LOCK_AFTER_FAILURES);
              expect(clock.now().getTime() - start).toBeGreaterThanOrEqual(31 * SECOND);
              expect(Date.parse(state.lockedUntil) - clock.now().getTime()).toBe(LOCK_MINUTES * MINUTE);
            }
          } else {
            expect(verdict.retryAfterSeconds).toBeGreaterThan(0);
            if (verdict.reason === 'wait') expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(16);
            // A refused attempt changes nothing.
          }
          clock.advance(gap);
        }
        expect(counted).toBeLessThanOrEqual(LOCK_AFTER_FAILURES);
      }),
      { numRuns: 200 },
    );
  });

  it('words the refusal with the time left, singular or plural', () => {
    expect(throttleMessage({ allowed: false, reason: 'wait', retryAfterSeconds: 1 })).toBe('Too many failed sign-ins. Wait 1 second before trying again.');
    expect(throttleMessage({ allowed: false, reason: 'wait', retryAfterSeconds: 16 })).toBe('Too many failed sign-ins. Wait 16 seconds before trying again.');
    const locked = (seconds: number) => throttleMessage({ allowed: false, reason: 'locked', retryAfterSeconds: seconds });
    expect(locked(15 * 60)).toBe('This account is locked after too many failed sign-ins. Try again in 15 minutes, or ask an administrator to unlock it.');
    expect(locked(61)).toContain('Try again in 2 minutes');
    expect(locked(60)).toContain('Try again in 1 minute,');
    expect(locked(1)).toContain('Try again in 1 minute,');
  });

  it('gives the message of a fresh lock for the tenth failure', () => {
    const clock = new FakeClock();
    let state: ThrottleState | undefined;
    for (let failure = 1; failure <= LOCK_AFTER_FAILURES; failure += 1) {
      state = failNow(state, clock);
      clock.advance(throttleDelaySeconds(state.failures) * SECOND);
    }
    clock.advance(-16 * SECOND); // back to the instant of the tenth failure
    expect(throttleMessage(refused(checkThrottle(state, clock.now())))).toContain('Try again in 15 minutes');
  });
});

describe('TOTP acceptance', () => {
  const secret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
  const totp = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) });
  // Ten seconds into a 30-second step, so ±30 s is exactly one step away.
  const now = new Date('2026-03-02T08:00:10.000Z');
  const step = Math.floor(now.getTime() / 30_000);
  const codeAt = (offsetSeconds: number) => totp.generate({ timestamp: now.getTime() + offsetSeconds * SECOND });

  it('uses codes that differ for the steps under test (a sanity check of the fixture)', () => {
    const codes = [-60, -30, 0, 30, 60].map(codeAt);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every(isTotpCode)).toBe(true);
  });

  it('accepts the current code and one step of drift either way, naming its step', () => {
    expect(acceptedTotpStep(secret, codeAt(0), now, null)).toBe(step);
    expect(acceptedTotpStep(secret, codeAt(-30), now, null)).toBe(step - 1);
    expect(acceptedTotpStep(secret, codeAt(30), now, null)).toBe(step + 1);
  });

  it('refuses codes two steps away', () => {
    expect(acceptedTotpStep(secret, codeAt(-60), now, null)).toBeNull();
    expect(acceptedTotpStep(secret, codeAt(60), now, null)).toBeNull();
  });

  it('refuses a code whose step is not newer than the last one used (no replay)', () => {
    expect(acceptedTotpStep(secret, codeAt(0), now, step)).toBeNull();
    expect(acceptedTotpStep(secret, codeAt(-30), now, step)).toBeNull();
    expect(acceptedTotpStep(secret, codeAt(-30), now, step - 1)).toBeNull();
    expect(acceptedTotpStep(secret, codeAt(0), now, step - 1)).toBe(step);
    expect(acceptedTotpStep(secret, codeAt(30), now, step)).toBe(step + 1);
  });

  it('refuses a wrong code and a code made with another secret', () => {
    const other = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(newTotpSecret()) });
    const foreign = other.generate({ timestamp: now.getTime() });
    const ownCodes = new Set([-30, 0, 30].map(codeAt));
    if (!ownCodes.has(foreign)) expect(acceptedTotpStep(secret, foreign, now, null)).toBeNull();
    const wrong = String((Number(codeAt(0)) + 1) % 1_000_000).padStart(6, '0');
    if (!ownCodes.has(wrong)) expect(acceptedTotpStep(secret, wrong, now, null)).toBeNull();
  });

  it('makes 160-bit secrets and an otpauth URI an authenticator app reads', () => {
    const fresh = newTotpSecret();
    expect(Secret.fromBase32(fresh).bytes.length).toBe(20);
    const uri = otpauthUri(fresh, 'admin', 'Demo Clinic');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${fresh}`);
    expect(uri).toContain('algorithm=SHA1');
    expect(uri).toContain('digits=6');
    expect(uri).toContain('period=30');
  });

  it('tells six digits from anything else', () => {
    expect(isTotpCode('012345')).toBe(true);
    for (const code of ['12345', '1234567', 'abcde-fghjk', '12 345', '']) expect(isTotpCode(code)).toBe(false);
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes of ten unambiguous characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(RECOVERY_CODE_COUNT).toBe(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
      expect(code).not.toMatch(/[01ilo]/);
      expect(isTotpCode(code)).toBe(false);
    }
  });

  it('normalises what people type: capitals, spaces and dashes', () => {
    expect(normalizeRecoveryCode('abcde-fghjk')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode('ABCDE-FGHJK')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode(' abcde fghjk ')).toBe('abcdefghjk');
    expect(normalizeRecoveryCode('Ab-Cd E-fG\thjk')).toBe('abcdefghjk');
  });

  it('normalises a code and any retyping of it to the same bare form (property)', () => {
    const codeChar = fc.constantFrom(...'abcdefghjkmnpqrstuvwxyz23456789');
    fc.assert(
      fc.property(
        fc.array(codeChar, { minLength: 10, maxLength: 10 }),
        fc.array(fc.constantFrom('', ' ', '-', '  '), { minLength: 11, maxLength: 11 }),
        fc.boolean(),
        (chars, separators, upper) => {
          const bare = chars.join('');
          const typed = chars.map((char, index) => `${separators[index]}${upper ? char.toUpperCase() : char}`).join('') + separators[10];
          expect(normalizeRecoveryCode(typed)).toBe(bare);
        },
      ),
    );
  });
});

describe('mustEnrollTwoFactor', () => {
  const admin = ['users.manage', 'audit.read'];
  const nurse = ['patients.read', 'vitals.write'];

  it('is true only where the clinic requires it, for a user manager who has not enrolled', () => {
    expect(mustEnrollTwoFactor({ requireTwoFactorForAdmins: true }, admin, false)).toBe(true);
    expect(mustEnrollTwoFactor({ requireTwoFactorForAdmins: true }, new Set(admin), false)).toBe(true);
    expect(mustEnrollTwoFactor({ requireTwoFactorForAdmins: true }, admin, true)).toBe(false);
    expect(mustEnrollTwoFactor({ requireTwoFactorForAdmins: true }, nurse, false)).toBe(false);
    expect(mustEnrollTwoFactor({ requireTwoFactorForAdmins: false }, admin, false)).toBe(false);
  });
});

describe('idle lock and session lifetime', () => {
  const start = new Date(TEST_START);
  const at = (ms: number) => new Date(start.getTime() + ms);

  it('is idle from exactly the configured minutes without a request', () => {
    expect(isIdle(TEST_START, at(0), 10)).toBe(false);
    expect(isIdle(TEST_START, at(10 * MINUTE - 1), 10)).toBe(false);
    expect(isIdle(TEST_START, at(10 * MINUTE), 10)).toBe(true);
    expect(isIdle(TEST_START, at(2 * MINUTE), 1)).toBe(true);
    expect(isIdle(TEST_START, at(239 * MINUTE), 240)).toBe(false);
  });

  it('ends a session twelve hours after sign-in, or when it was ended', () => {
    expect(SESSION_LIFETIME_MS).toBe(12 * 60 * MINUTE);
    const expires_at = sessionExpiry(start);
    expect(expires_at).toBe('2026-03-02T20:00:00.000Z');
    expect(isSessionLive({ ended_at: null, expires_at }, at(12 * 60 * MINUTE - 1).toISOString())).toBe(true);
    expect(isSessionLive({ ended_at: null, expires_at }, at(12 * 60 * MINUTE).toISOString())).toBe(false);
    expect(isSessionLive({ ended_at: TEST_START, expires_at }, at(MINUTE).toISOString())).toBe(false);
  });
});
