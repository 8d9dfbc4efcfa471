export * from './progress';
export * from './synthetic';
