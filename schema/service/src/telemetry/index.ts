// Telemetry every service shares: Prometheus metrics, OpenTelemetry traces, their settings.
export * from './graphql';
export * from './metrics';
export * from './service';
export * from './tracing';
