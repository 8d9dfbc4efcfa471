import { evaluatePolicy, hasScope, isAnonymous, type Caller } from '@bicentennial/schema';

/** What one coordinate's directives ask (`requirementsFromSdl`): every list must hold. */
export interface AccessRule {
  authenticated: boolean;
  /** One entry per `@requiresScopes`: its `scopes`, `[[a, b], [c]]` = (a AND b) OR c. */
  scopes: readonly (readonly (readonly string[])[])[];
  /** One entry per `@policy`: its `policies`, read like `scopes`, each name evaluated by `evaluatePolicy`. */
  policies: readonly (readonly (readonly string[])[])[];
}

/** (a AND b) OR c over `[[a, b], [c]]`; an empty outer list allows nobody, as the Router reads it. */
function anyOfAll(alternatives: readonly (readonly string[])[], holds: (name: string) => boolean): boolean {
  return alternatives.some((all) => all.every(holds));
}

/** The one decision of the gateway and every subgraph: may `caller` see what `rule` protects? */
export function callerAllows(caller: Caller): (rule: AccessRule) => boolean {
  return (rule) => {
    // @requiresScopes and @policy imply @authenticated: an anonymous caller has no claims to check.
    const needsCaller = rule.authenticated || rule.scopes.length > 0 || rule.policies.length > 0;
    if (needsCaller && isAnonymous(caller)) return false;
    if (!rule.scopes.every((alternatives) => anyOfAll(alternatives, (scope) => hasScope(caller, scope)))) return false;
    return rule.policies.every((alternatives) => anyOfAll(alternatives, (policy) => evaluatePolicy(policy, caller)));
  };
}
