// What every service process shares, the gateway included: logging, settings, errors, HTTP errors, telemetry.
export * from './env';
export * from './errors';
export * from './httpErrors';
export * from './logger';
export * from './protocol';
export * from './shutdown';
export * from './access';
export * from './telemetry';
