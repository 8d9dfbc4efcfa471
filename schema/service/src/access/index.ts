// Identity and access: caller tokens, the gateway's internal tokens, development keys, and the
// one decision of what a caller may see (`callerAllows`), used by the gateway and every subgraph.
export * from './allows';
export * from './devKeys';
export * from './keyRules';
export * from './tokens';
export * from './authorize';
export * from './requirements';
