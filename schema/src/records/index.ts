export * from './dbErrors';
export * from './idempotency';
export * from './write';
export * from './pagination';
export * from './observations';
export * from './fields';
export * from './provenance';
export * from './bulk';
