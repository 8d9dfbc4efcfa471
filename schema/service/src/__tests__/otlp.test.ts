import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { otlpTracesUrl, startServiceTelemetry, withSpan } from '../telemetry';
import { silentLogger } from '../logger';

/** What a collector received: each request's method, path, content type and JSON body. */
interface Received {
  method: string | undefined;
  path: string | undefined;
  contentType: string | undefined;
  body: unknown;
}

const readBody = (request: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (text += chunk));
    request.on('end', () => resolve(text));
    request.on('error', reject);
  });

describe('tracing to an OTLP/HTTP collector', () => {
  let collector: Server;
  let endpoint: string;
  const received: Received[] = [];

  beforeAll(async () => {
    // A stand-in collector on loopback: it accepts every export.
    collector = createServer((request, response) => {
      void readBody(request).then((text) => {
        received.push({
          method: request.method,
          path: request.url,
          contentType: request.headers['content-type'],
          body: JSON.parse(text) as unknown,
        });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('builds the traces URL from the base endpoint as the OTLP specification says', () => {
    expect(otlpTracesUrl('http://collector:4318')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('http://collector:4318/')).toBe('http://collector:4318/v1/traces');
    expect(otlpTracesUrl('https://otel.example/base/')).toBe('https://otel.example/base/v1/traces');
  });

  it('sends the spans to <endpoint>/v1/traces with the service name as the resource, at the latest on stop', async () => {
    const telemetry = await startServiceTelemetry({
      service: 'firearms',
      settings: { METRICS_HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'firearms-eu' },
      logger: silentLogger,
    });
    expect(telemetry.tracingName).toBe('firearms-eu');
    // No METRICS_PORT: no metrics listener.
    expect(await telemetry.listen()).toBeUndefined();
    withSpan('exported work', { rows: 3 }, () => undefined);
    // The batch is sent when the telemetry stops, not left behind.
    await telemetry.stop();

    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received[0]).toMatchObject({ method: 'POST', path: '/v1/traces', contentType: 'application/json' });
    const text = JSON.stringify(received.map((r) => r.body));
    expect(text).toContain('"exported work"');
    expect(text).toContain('{"key":"service.name","value":{"stringValue":"firearms-eu"}}');
    expect(text).toContain('{"key":"bicentennial.service","value":{"stringValue":"firearms-eu"}}');
  });
});
