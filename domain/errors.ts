// A rule said no. The workflow turns these into typed failures the API maps to 404/409/422.

export type RefusalKind = 'IllegalTransition' | 'RuleViolation' | 'Conflict' | 'NotFound' | 'IdempotencyKeyReused';

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
