export * from './countingAdapter';
export * from './subgraph';
export * from './migrations';
export * from './indicatorValues';
export * from './postgres';
export * from './seeding';
export * from './records';
export * from './keys';
