export * from './stack';
export * from './logs';
export * from './protocol';
