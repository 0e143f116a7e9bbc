// A rule said no. The workflow turns these into typed failures the API maps to 404/409/412/422.

export type RefusalKind = 'IllegalTransition' | 'RuleViolation' | 'Conflict' | 'NotFound' | 'IdempotencyKeyReused' | 'VersionMismatch';

export class Refusal extends Error {
  constructor(
    readonly kind: RefusalKind,
    message: string,
  ) {
    super(message);
    this.name = 'Refusal';
  }
}

export const illegal = (message: string) => new Refusal('IllegalTransition', message);
export const ruleViolation = (message: string) => new Refusal('RuleViolation', message);

/** A change made against a version of the ticket that is no longer current (If-Match, SPEC §16). */
export const staleVersion = (expected: number, current: number) =>
  new Refusal('VersionMismatch', `the ticket has moved on: you changed version ${expected}, it is now at version ${current}`);
