// Bearer JWTs (HS256 with AUTH_JWT_SECRET) → the caller's Principal (SPEC §16).
import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { ROLES, type Principal } from '../../domain/roles';
import { unauthorized } from './problem';
import { anyText, text } from './text';

const claimsSchema = z.object({
  sub: text(200),
  role: z.enum(ROLES),
  name: anyText(200).optional(),
  email: anyText(320).optional(),
  groups: z.array(text(100)).max(100).optional(),
});

/**
 * The secret as a key object, made once: jsonwebtoken checks a string secret anew on every call (~0.46 ms each here,
 * against ~0.013 ms with a key object, SPEC §18).
 */
export const verificationKey = (secret: string): KeyObject => createSecretKey(Buffer.from(secret, 'utf8'));

export function authenticate(header: string | undefined, secret: KeyObject | string): Principal {
  if (!header) throw unauthorized('an Authorization: Bearer <token> header is required');
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthorized('the Authorization header must be "Bearer <token>"');
  let payload: unknown;
  try {
    // Pinning the algorithm refuses alg "none" and any key confusion.
    payload = jwt.verify(match[1]!, secret, { algorithms: ['HS256'] });
  } catch (err) {
    throw unauthorized(err instanceof jwt.TokenExpiredError ? 'the token has expired' : 'the token is not valid');
  }
  const claims = claimsSchema.safeParse(payload);
  if (!claims.success) throw unauthorized('the token lacks a valid sub or role claim');
  return { ...claims.data, groups: claims.data.groups ?? [] };
}

export interface TokenClaims {
  sub: string;
  role: Principal['role'];
  name?: string;
  email?: string;
  groups?: string[];
}

export function mintToken(claims: TokenClaims, secret: string, expiresIn: jwt.SignOptions['expiresIn'] = '12h'): string {
  return jwt.sign(claims, secret, { algorithm: 'HS256', expiresIn });
}
