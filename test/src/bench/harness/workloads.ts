import { Scope, type Caller } from '@bicentennial/schema';
import { DASHBOARD, OBJECTIVE } from '../../operations';
import type { WorkloadName } from './options';
import { persistedBody } from './persisted';

/**
 * A walk across three subgraphs on public data: from the United States (framework) to its
 * states, their ports of entry (border-trade), across to the Mexican state on the other side
 * (framework again) and its homicide figures (public-health) — four fetches one after another.
 * Public, so every gateway asks it as the public (the analysts' Sinaloa walk of operations.ts
 * reads records, which need a verified caller).
 */
export const BORDER_WALK = `#graphql
query BorderWalk {
  region(code: "US") {
    name
    states {
      code
      name
      ports {
        code
        name
        counterpartCity
        counterpartState {
          code
          name(lang: ES)
          homicides(first: 5) { totalCount nodes { period measure count ratePer100k } }
        }
      }
    }
  }
}`;

/**
 * A filtered page over the synthetic drug seizures: one port, one drug, one fiscal year, the
 * newest 20 with their count. Records need a verified caller.
 */
export const SEIZURE_PAGE = `#graphql
query SeizurePage {
  drugSeizures(portCode: "2504", drug: FENTANYL, from: "2023-10-01", to: "2024-09-30", first: 20) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes { recordId seizedOn drug quantity unit quantityKg mode port { code name } state { code name } }
  }
}`;

/**
 * The same synthetic seizures filtered by the shared filters (a state, a drug, a U.S. fiscal year)
 * and sorted by another column than the list's date: the newest recorded first. The page alone,
 * without `totalCount` (counted only when asked; `SeizurePage` times a count).
 */
export const SEIZURE_PAGE_SORTED = `#graphql
query SeizurePageSorted {
  drugSeizures(
    region: "US-AZ"
    drug: FENTANYL
    period: { years: { kind: US_FISCAL, from: 2024 } }
    orderBy: { field: RECORDED_AT, direction: DESC }
    first: 20
  ) {
    pageInfo { startCursor endCursor hasNextPage hasPreviousPage }
    edges { cursor node { recordId seizedOn provenance { recordedAt } drug quantity unit port { code } } }
  }
}`;

/** The oldest seizures at one port: the end of the list, paged backwards (`last`), without a count. */
export const SEIZURE_PAGE_LAST = `#graphql
query SeizurePageLast {
  drugSeizures(port: "2604", last: 20) {
    pageInfo { startCursor hasPreviousPage }
    nodes { recordId seizedOn drug quantity unit quantityKg mode port { code name } }
  }
}`;

/** Who asks: the public (no token), or a verified U.S. analyst. */
export type CallerKind = 'public' | 'verified';

/** The verified caller of the record workloads (a CBP analyst: U.S. releasability). */
export const BENCH_ANALYST: Caller = Object.freeze({
  subject: 'bench-analyst',
  agency: 'CBP',
  country: 'US',
  scopes: Object.freeze([Scope.ANALYST]),
});

export interface Workload {
  name: WorkloadName;
  title: string;
  query: string;
  caller: CallerKind;
  /** Our gateway with its response cache on (every other workload runs it with RESPONSE_CACHE=off). */
  cached: boolean;
}

export const WORKLOAD_DEFINITIONS: Record<WorkloadName, Workload> = {
  dashboard: { name: 'dashboard', title: 'Dashboard', query: DASHBOARD, caller: 'public', cached: false },
  objective: { name: 'objective', title: 'Objective', query: OBJECTIVE, caller: 'public', cached: false },
  walk: { name: 'walk', title: 'Border walk (3 subgraphs)', query: BORDER_WALK, caller: 'public', cached: false },
  seizures: { name: 'seizures', title: 'Seizure page', query: SEIZURE_PAGE, caller: 'verified', cached: false },
  'seizures-sorted': {
    name: 'seizures-sorted',
    title: 'Seizure page (filtered, sorted)',
    query: SEIZURE_PAGE_SORTED,
    caller: 'verified',
    cached: false,
  },
  'seizures-last': {
    name: 'seizures-last',
    title: 'Seizure page (last, backwards)',
    query: SEIZURE_PAGE_LAST,
    caller: 'verified',
    cached: false,
  },
  'dashboard-cached': {
    name: 'dashboard-cached',
    title: 'Dashboard (cached)',
    query: DASHBOARD,
    caller: 'public',
    cached: true,
  },
};

/** The body every request of a workload sends: its persisted operation's exact body (persisted.ts). */
export const requestBody = (workload: Workload): string => JSON.stringify({ query: persistedBody(workload.query) });
