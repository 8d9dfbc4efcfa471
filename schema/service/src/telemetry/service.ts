import cluster from 'node:cluster';
import type { Logger } from 'pino';
import { z } from 'zod';
import { host, httpUrl } from '../env';
import { serveMetrics, shareMetricsWithPrimary, type MetricsListener } from './metrics';
import { startTracing, type Tracing } from './tracing';

/**
 * The telemetry settings every service reads (README, Configuration), spread into its schema.
 * Other OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER, OTEL_BSP_*) are read
 * by the OpenTelemetry SDK itself.
 */
export const telemetrySettings = {
  /** The metrics listener's port (`GET /metrics`); unset: no metrics listener. 0 picks a free port. */
  METRICS_PORT: z.coerce
    .number({ message: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .optional(),
  /** The metrics listener's address: loopback unless Prometheus scrapes from elsewhere. */
  METRICS_HOST: host,
  /** OTLP/HTTP collector base URL: set, traces are sent there; unset, nothing is traced. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** The traces' `service.name`; unset, the service's own name. */
  OTEL_SERVICE_NAME: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .optional(),
};

export interface TelemetrySettings {
  METRICS_PORT?: number | undefined;
  METRICS_HOST: string;
  OTEL_EXPORTER_OTLP_ENDPOINT?: string | undefined;
  OTEL_SERVICE_NAME?: string | undefined;
}

/** METRICS_PORT must not be the service's own PORT (0, a free port each, is fine). */
export function metricsPortProblem(settings: { PORT: number; METRICS_PORT?: number | undefined }): string | undefined {
  return settings.METRICS_PORT !== undefined && settings.METRICS_PORT !== 0 && settings.METRICS_PORT === settings.PORT
    ? `  METRICS_PORT=${settings.METRICS_PORT}: must differ from PORT (metrics have a listener of their own)`
    : undefined;
}

export interface ServiceTelemetry {
  /** The name the service's spans carry (OTEL_SERVICE_NAME, else the service's name). */
  readonly tracingName: string;
  /**
   * Starts the metrics listener, when METRICS_PORT is set; its URL. In a cluster worker, answers
   * the primary instead (which serves them all: `serveClusterMetrics`), and resolves undefined.
   */
  listen(): Promise<string | undefined>;
  /** Closes the metrics listener and sends the spans still buffered. */
  stop(): Promise<void>;
}

/**
 * A service's telemetry from its settings: tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set (else
 * none, at no cost), and, once `listen` is called, the metrics listener when METRICS_PORT is.
 */
export async function startServiceTelemetry(options: {
  service: string;
  settings: TelemetrySettings | undefined;
  logger: Logger;
}): Promise<ServiceTelemetry> {
  const { settings, logger } = options;
  const tracingName = settings?.OTEL_SERVICE_NAME ?? options.service;
  let tracing: Tracing | undefined;
  if (settings?.OTEL_EXPORTER_OTLP_ENDPOINT) {
    tracing = await startTracing({ serviceName: tracingName, endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT, logger });
    logger.info(
      { endpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: tracingName, shared: !tracing.registered },
      'tracing to OTLP',
    );
  }
  let listener: MetricsListener | undefined;
  return {
    tracingName,
    listen: async () => {
      if (settings?.METRICS_PORT === undefined) return undefined;
      if (cluster.isWorker) {
        shareMetricsWithPrimary();
        return undefined;
      }
      listener ??= await serveMetrics({ port: settings.METRICS_PORT, host: settings.METRICS_HOST, logger });
      logger.info({ url: listener.url }, 'metrics listening');
      return listener.url;
    },
    stop: async () => {
      await listener?.close();
      await tracing?.shutdown();
    },
  };
}
