import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (Slack installations' tokens): AES-256-GCM with PAPERBOY_SECRET_KEY.
 * Each value gets a fresh random 96-bit IV; the 128-bit auth tag is stored beside it, so a
 * wrong key or a changed byte fails to open instead of yielding garbage. `context` (e.g. the
 * row's key) is bound in as additional authenticated data: a sealed value copied into another
 * row does not open there.
 */

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** Format marker, so a later scheme (another cipher, a key id) can be told apart. */
const VERSION = 'v1';

/** How an operator makes a key; quoted by every message about a missing or bad one. */
export const KEY_HOWTO = 'Generate one with `openssl rand -hex 32` (64 hex characters; 32 bytes in base64 work too) and keep it safe: stored Slack tokens cannot be read without it.';

/** PAPERBOY_SECRET_KEY is missing or malformed. */
export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

/** A sealed value would not open: the key is not the one it was sealed with, or the value was altered. */
export class SecretOpenError extends Error {
  override readonly name = 'SecretOpenError';
}

/** A 32-byte key from 64 hex characters or base64 (standard or url-safe); throws a SecretKeyError saying what is wrong. */
export function parseSecretKey(text: string): Buffer {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const bytes = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
    throw new SecretKeyError(`PAPERBOY_SECRET_KEY must be 32 bytes; this one decodes to ${bytes.length}. ${KEY_HOWTO}`);
  }
  throw new SecretKeyError(`PAPERBOY_SECRET_KEY must be 64 hex characters or 32 bytes in base64. ${KEY_HOWTO}`);
}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer | string) {
    this.key = typeof key === 'string' ? parseSecretKey(key) : key;
    if (this.key.length !== KEY_BYTES) throw new SecretKeyError(`PAPERBOY_SECRET_KEY must be 32 bytes. ${KEY_HOWTO}`);
  }

  /** `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 4 || parts[0] !== VERSION) throw new SecretOpenError(`a stored secret (${context}) is not in a format this version reads.`);
    const [iv, tag, body] = parts.slice(1).map((p) => Buffer.from(p, 'base64url')) as [Buffer, Buffer, Buffer];
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SecretOpenError(`a stored secret (${context}) is damaged.`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    } catch (e) {
      throw new SecretOpenError(
        `could not decrypt a stored secret (${context}): PAPERBOY_SECRET_KEY is not the key it was stored with, or the row was altered. Restore the original key; with a new key, each Slack workspace must install the app again.`,
        { cause: e },
      );
    }
  }
}
