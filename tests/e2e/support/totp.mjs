// Codes of a staff account's second factor, for tests that sign in as a person would with an
// authenticator app (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits).
//
// Each step's code is accepted once, and only in rising order, so a second sign-in of one
// account within 30 seconds needs another code: NextSignInCode hands out the codes of the
// current and next step while one is later than the last handed out, then the recovery codes,
// so that no test waits for the clock. (Not the previous step's, although the server's window
// takes it: a new step may begin before the server checks the code.) What `uitweg user
// add` printed is kept per username; the latest wins.

import { createHmac } from 'node:crypto';

const kAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function Base32Decode(text) {
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = kAlphabet.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${text}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bytes.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(bytes);
}

export function TotpStep(unixMillis = Date.now()) {
  return Math.floor(unixMillis / 30000);
}

export function TotpCode(secret, step = TotpStep()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = mac.readUInt32BE(offset) & 0x7fffffff;
  return String(binary % 1000000).padStart(6, '0');
}

// The second factor in what `uitweg user add` or `user reset-2fa` printed.
export function ParsePrintedSecondFactor(out) {
  const uri = /otpauth:\/\/totp\/\S*secret=([A-Z2-7]+)\S*/.exec(out);
  if (!uri) throw new Error(`no otpauth:// URI in: ${out}`);
  const recoveryCodes = out
    .split('\n')
    .filter((line) => /^ {2}[a-z2-7]{5}-[a-z2-7]{5}$/.test(line))
    .map((line) => line.trim());
  if (recoveryCodes.length !== 10) throw new Error(`not ten recovery codes in: ${out}`);
  return { secret: Base32Decode(uri[1]), uri: uri[0], recoveryCodes };
}

class SignInCodes {
  constructor(secret, recoveryCodes, lastStep) {
    this.secret = secret;
    this.recoveryCodes = [...recoveryCodes];
    this.lastStep = lastStep;
  }

  Next(unixMillis = Date.now()) {
    const current = TotpStep(unixMillis);
    for (let step = current; step <= current + 1; ++step) {
      if (step > this.lastStep) {
        this.lastStep = step;
        return TotpCode(this.secret, step);
      }
    }
    if (this.recoveryCodes.length > 0) return this.recoveryCodes.shift();
    return TotpCode(this.secret, current + 1);
  }
}

const known = new Map();

// `usedStep`: the step whose code was used already (the one that confirmed the app), if any.
export function RememberSecondFactor(username, { secret, recoveryCodes }, usedStep = -Infinity) {
  known.set(username, new SignInCodes(secret, recoveryCodes, usedStep));
}

// The next code to sign `username` in with, used up; throws for an account never added here.
export function NextSignInCode(username) {
  const codes = known.get(username);
  if (!codes) throw new Error(`no second factor known for ${username}`);
  return codes.Next();
}
