export * from './convert';
export * from './ingest';
export * from './introspect';
export * from './keySet';
export * from './read';
