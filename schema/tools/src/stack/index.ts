export * from './logs';
export * from './stack';
