// What only subgraphs load: database, migrations, runtime, loaders, pagination, records, indicators.
export * from './db/database';
export * from './db/migrate';
export * from './indicators/headline';
export * from './indicators/model';
export * from './indicators/observations';
export * from './indicators/periods';
export * from './indicators/progress';
export * from './indicators/seed';
export * from './indicators/sourceKinds';
export * from './records';
export * from './subgraph/env';
export * from './subgraph/http';
export * from './subgraph/language';
export * from './subgraph/loaders';
export * from './subgraph/runtime';
export * from './subgraph/seeding';
export * from './subgraph/server';
