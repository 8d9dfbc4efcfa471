/**
 * Who may do what, designed once (README, Callers and scopes). A verified caller carries the
 * claims `sub`, `agency`, `country` (`US` or `MX`) and `scope` (space-separated); the subgraph
 * SDL names these scopes and policies in `@requiresScopes` and `@policy`, and the gateway and
 * every subgraph enforce them from here.
 */

/** The domain subgraphs that take writes, each with its own write scope. */
export const WRITABLE_SUBGRAPHS = ['public-health', 'border-trade', 'firearms', 'finance', 'extradition'] as const;
export type WritableSubgraph = (typeof WRITABLE_SUBGRAPHS)[number];

/** Every scope the graph knows. */
export const Scope = {
  /** Write records, values and sources into the public-health subgraph (CDC, SSA, CONASAMA …). */
  PUBLIC_HEALTH_WRITE: 'public-health:write',
  /** Write into the border-trade subgraph (CBP, ANAM …). */
  BORDER_TRADE_WRITE: 'border-trade:write',
  /** Write into the firearms subgraph (ATF, SEDENA …). */
  FIREARMS_WRITE: 'firearms:write',
  /** Write into the finance subgraph (Treasury/FinCEN/OFAC, UIF …). */
  FINANCE_WRITE: 'finance:write',
  /** Write into the extradition subgraph (DOJ, FGR …). */
  EXTRADITION_WRITE: 'extradition:write',
  /** Analysts: ad hoc operations where production allows only persisted ones, and introspection. */
  ANALYST: 'graph:analyze',
  /** Auditors: read the audit trail. */
  AUDITOR: 'audit:read',
  /** Operators: read `/status/subgraphs` (internal addresses and health of every subgraph). */
  OPERATOR: 'status:read',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** The scope that lets a caller write into `subgraph`. */
export function writeScope(subgraph: WritableSubgraph): Scope {
  return `${subgraph}:write` as Scope;
}

/** Every scope, for validating the token CLI's `--scope` and documenting them. */
export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

/** Policies named by `@policy`, evaluated from the caller's claims (`evaluatePolicy`). */
export const Policy = {
  /** A verified person or system of a U.S. or Mexican agency: `sub`, `agency` and `country` all present. */
  AGENCY_STAFF: 'agency_staff',
  /** Agency staff of the United States (`country: US`). */
  US_STAFF: 'us_staff',
  /** Agency staff of Mexico (`country: MX`). */
  MX_STAFF: 'mx_staff',
} as const;
export type Policy = (typeof Policy)[keyof typeof Policy];

export type Country = 'US' | 'MX';
export const COUNTRIES: readonly Country[] = ['US', 'MX'];

/** Values of a record's `releasableTo`. */
export type Releasability = 'US' | 'MX' | 'BOTH';

/**
 * Who is asking: the verified claims of a token, or anonymous (no token). The one shape used by
 * the gateway, the internal token and every subgraph.
 */
export interface Caller {
  /** The token's `sub`; null when anonymous. */
  subject: string | null;
  /** The agency (`CBP`, `FGR`); null when anonymous. */
  agency: string | null;
  /** The government the caller works for; null when anonymous. */
  country: Country | null;
  /** The token's scopes. */
  scopes: readonly string[];
}

export const ANONYMOUS: Caller = Object.freeze({ subject: null, agency: null, country: null, scopes: [] });

export function isAnonymous(caller: Caller): boolean {
  return caller.subject === null;
}

export function hasScope(caller: Caller, scope: string): boolean {
  return caller.scopes.includes(scope);
}

/**
 * The `releasableTo` values a caller may read: their country's and BOTH; BOTH only when
 * anonymous. Every query of a record applies this in SQL.
 */
export function releasableFor(caller: Caller): Releasability[] {
  if (caller.country === 'US') return ['US', 'BOTH'];
  if (caller.country === 'MX') return ['MX', 'BOTH'];
  return ['BOTH'];
}

/** Whether `caller` satisfies the policy `name`; a policy this list does not know is denied. */
export function evaluatePolicy(name: string, caller: Caller): boolean {
  const staff = caller.subject !== null && caller.agency !== null && caller.country !== null;
  switch (name) {
    case Policy.AGENCY_STAFF:
      return staff;
    case Policy.US_STAFF:
      return staff && caller.country === 'US';
    case Policy.MX_STAFF:
      return staff && caller.country === 'MX';
    default:
      return false;
  }
}

/** Who wrote a row, as stored in `recordedBy`: the verified subject and agency (`jdoe@CBP`). */
export function recordedByOf(caller: Caller): string {
  if (caller.subject === null || caller.agency === null) throw new Error('an anonymous caller cannot write');
  return `${caller.subject}@${caller.agency}`;
}
