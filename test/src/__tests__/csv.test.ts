import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Scope } from '@bicentennial/schema';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { startInProcessGraph, type InProcessGraph } from '../inProcess';

/**
 * `POST /csv` (README, CSV export) over real HTTP through the in-process graph: the rows, header,
 * quoting and text of a real answer, the caller's releasability, persisted and ad hoc operations,
 * refusals before the first byte, a body cut short when a later page fails, and a 100,000-row
 * export in bounded memory.
 */

/** A full garbage collection, to read the heap that is kept (not the garbage awaiting collection). */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** The chunks of a response body as they arrive. */
async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    yield value;
  }
}

interface CsvAnswer {
  status: number;
  contentType: string | null;
  disposition: string | null;
  bytes: Buffer;
  text: string;
}

interface GraphQLErrors {
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/** Seizures of the fixture: in 2031, which no seeded record is, at port 0901 or between ports. */
const FIXTURE_PERIOD = '{ from: "2031-01-01", to: "2031-12-31" }';
const SEIZURES = `#graphql
  query CsvSeizures($after: String, $first: Int = 2) {
    drugSeizures(period: ${FIXTURE_PERIOD}, first: $first, after: $after, orderBy: { field: SEIZED_ON, direction: ASC }) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        recordId
        seizedOn
        drug
        quantity
        port {
          code
          name
        }
        state {
          code
          nombre: name(lang: ES)
        }
        provenance {
          source {
            publisher
          }
          releasableTo
        }
      }
    }
  }
`;
const HEADER = [
  'recordId',
  'seizedOn',
  'drug',
  'quantity',
  'port.code',
  'port.name',
  'state.code',
  'state.nombre',
  'provenance.source.publisher',
  'provenance.releasableTo',
];
/** A port whose name needs every kind of quoting: a comma, quotes, a line break, and Spanish. */
const QUOTED_PORT = 'Garita "Prueba", Línea\r\nNorte';

describe('POST /csv: one list of an answer as CSV, streamed page by page', () => {
  let graph: InProcessGraph;
  let csvUrl: string;
  let usAnalyst: string;
  let mxAnalyst: string;
  let publisher: string;
  /** The fixture's recordIds released to each country, oldest first. */
  const released: Record<'US' | 'MX', string[]> = { US: [], MX: [] };

  const exportCsv = async (body: unknown, token?: string, url = csvUrl): Promise<CsvAnswer> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      disposition: response.headers.get('content-disposition'),
      bytes,
      text: bytes.toString('utf8'),
    };
  };
  const graphql = async <T>(body: unknown, token: string): Promise<T> => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return (await response.json()) as T;
  };
  const totalCount = async (token: string, filter = `period: ${FIXTURE_PERIOD}`) => {
    const answer = await graphql<{ data: { drugSeizures: { totalCount: number } } }>(
      { query: `{ drugSeizures(${filter}) { totalCount } }` },
      token,
    );
    return answer.data.drugSeizures.totalCount;
  };

  beforeAll(async () => {
    graph = await startInProcessGraph();
    csvUrl = new URL('/csv', graph.gatewayUrl).href;
    usAnalyst = await graph.token({ subject: 'csv-us', agency: 'DHS', country: 'US', scopes: [Scope.ANALYST] });
    mxAnalyst = await graph.token({ subject: 'csv-mx', agency: 'FGR', country: 'MX', scopes: [Scope.ANALYST] });
    const prisma = graph.handles.borderTrade.prisma;
    const source = await prisma.source.findFirstOrThrow({ orderBy: { id: 'asc' } });
    publisher = source.publisher;
    await prisma.portOfEntry.create({
      data: {
        code: '0901',
        name: QUOTED_PORT,
        stateCode: 'US-NM',
        kind: 'LAND',
        sourceId: source.id,
        recordedBy: 'csv-test',
      },
    });
    // Seven seizures on seven days: five at the port, two between ports (no port: empty cells).
    const releasability = ['BOTH', 'US', 'MX', 'BOTH', 'US', 'MX', 'BOTH'] as const;
    await prisma.drugSeizure.createMany({
      data: releasability.map((releasableTo, i) => ({
        recordId: `CSV-${i + 1}, "fixture"`,
        objectiveId: '2.1.2',
        location: i < 5 ? ('AT_PORT' as const) : ('BETWEEN_PORTS' as const),
        portCode: i < 5 ? '0901' : null,
        stateCode: 'US-NM',
        seizedOn: new Date(Date.UTC(2031, 0, i + 1)),
        drug: 'FENTANYL' as const,
        quantity: 1.5 + i,
        unit: 'KILOGRAMS' as const,
        quantityKg: 1.5 + i,
        mode: 'PASSENGER_VEHICLE' as const,
        sourceId: source.id,
        releasableTo,
        recordedBy: 'csv-test',
      })),
    });
    releasability.forEach((to, i) => {
      if (to !== 'MX') released.US.push(`CSV-${i + 1}, "fixture"`);
      if (to !== 'US') released.MX.push(`CSV-${i + 1}, "fixture"`);
    });
  }, 180_000);

  afterAll(() => graph?.stop());

  it('writes the header from the selection, nested fields dotted, RFC 4180 quoting and Spanish text in UTF-8', async () => {
    // What one page of the operation asks of border-trade through /graphql.
    graph.resetRequests();
    await graphql({ query: SEIZURES }, usAnalyst);
    const perPage = graph.requests.get('border-trade') ?? 0;
    expect(perPage).toBeGreaterThan(0);
    graph.resetRequests();
    const answer = await exportCsv({ query: SEIZURES }, usAnalyst);
    const asked = graph.requests.get('border-trade');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('text/csv; charset=utf-8');
    expect(answer.disposition).toBe('attachment; filename="CsvSeizures.csv"');
    // No byte order mark unless asked; "México" in UTF-8 (é is C3 A9), never Latin-1 or an escape.
    expect([...answer.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(answer.bytes.includes(Buffer.from([0x4d, 0xc3, 0xa9, 0x78, 0x69, 0x63, 0x6f]))).toBe(true);
    expect(answer.text.startsWith(`${HEADER.join(',')}\r\n`)).toBe(true);

    const [header, ...rows] = parseSync(answer.text);
    expect(header).toEqual(HEADER);
    expect(rows.map((row) => row[0])).toEqual(released.US);
    expect(rows).toHaveLength(await totalCount(usAnalyst));
    const [first] = rows;
    expect(first).toEqual([
      'CSV-1, "fixture"',
      '2031-01-01',
      'FENTANYL',
      '1.5',
      '0901',
      QUOTED_PORT,
      'US-NM',
      'Nuevo México',
      publisher,
      'BOTH',
    ]);
    // The port name's quotes are doubled inside a quoted field, its CRLF kept inside the quotes.
    expect(answer.text).toContain(`"Garita ""Prueba"", Línea\r\nNorte"`);
    // Between ports: no port, so its two columns are empty, and the row keeps its width.
    const betweenPorts = rows.find((row) => row[0] === 'CSV-7, "fixture"');
    expect(betweenPorts?.slice(4, 6)).toEqual(['', '']);
    expect(betweenPorts).toHaveLength(HEADER.length);
    // Five rows at two a page: three pages, each its own operation through the gateway.
    expect(asked).toBe(3 * perPage);
  });

  it('writes the byte order mark first when asked (for Excel)', async () => {
    const answer = await exportCsv({ query: SEIZURES, bom: true }, usAnalyst);
    expect(answer.status).toBe(200);
    expect([...answer.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(parseSync(answer.text, { bom: true })[0]).toEqual(HEADER);
  });

  it('gives each caller only the rows released to its country, as many as /graphql counts for it', async () => {
    const rowsFor = async (token: string) => {
      const answer = await exportCsv({ query: SEIZURES, variables: { first: 100 } }, token);
      expect(answer.status).toBe(200);
      return parseSync(answer.text).slice(1);
    };
    const us = await rowsFor(usAnalyst);
    const mx = await rowsFor(mxAnalyst);
    expect(us.map((row) => row[0])).toEqual(released.US);
    expect(mx.map((row) => row[0])).toEqual(released.MX);
    expect(us.map((row) => row[0])).not.toEqual(mx.map((row) => row[0]));
    expect(us).toHaveLength(await totalCount(usAnalyst));
    expect(mx).toHaveLength(await totalCount(mxAnalyst));
    expect(new Set(us.map((row) => row[9]))).toEqual(new Set(['BOTH', 'US']));
    expect(new Set(mx.map((row) => row[9]))).toEqual(new Set(['BOTH', 'MX']));
  });

  it('runs a persisted query by its hash, registered before, as it runs the same query ad hoc', async () => {
    const sha256Hash = createHash('sha256').update(SEIZURES).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const registered = await graphql<GraphQLErrors>({ query: SEIZURES, extensions }, usAnalyst);
    expect(registered.errors).toBeUndefined();
    const adHoc = await exportCsv({ query: SEIZURES }, usAnalyst);
    const persisted = await exportCsv({ extensions, operationName: 'CsvSeizures' }, usAnalyst);
    expect(persisted.status).toBe(200);
    expect(persisted.disposition).toBe('attachment; filename="CsvSeizures.csv"');
    expect(persisted.text).toBe(adHoc.text);
    // A hash the gateway does not hold: no table, the APQ code.
    const unknown = await exportCsv(
      { extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
      usAnalyst,
    );
    expect(unknown.status).toBe(404);
    expect((JSON.parse(unknown.text) as GraphQLErrors).errors?.[0]?.extensions?.['code']).toBe(
      'PERSISTED_QUERY_NOT_FOUND',
    );
  });

  it('refuses before the first byte with a JSON GraphQL error, its code and status, and no internals', async () => {
    /** `token` null: the public, without a token. */
    const refusal = async (body: unknown, token: string | null = usAnalyst) => {
      const answer = await exportCsv(body, token ?? undefined);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.text).not.toMatch(/stack|\.ts:|node_modules|SELECT /i);
      const { errors } = JSON.parse(answer.text) as GraphQLErrors;
      return { status: answer.status, code: errors?.[0]?.extensions?.['code'], error: errors?.[0] };
    };
    expect(await refusal({ query: '{ drugSeizures(' })).toMatchObject({ status: 400, code: 'GRAPHQL_PARSE_FAILED' });
    expect(await refusal({ query: '{ drugSeizures { nodes { nope } } }' })).toMatchObject({
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    });
    const deep = `{ portOfEntry(code: "0901") { drugSeizures { nodes { port { drugSeizures { nodes { port { drugSeizures { nodes { port { drugSeizures { nodes { recordId } } } } } } } } } } } } }`;
    expect(await refusal({ query: deep })).toMatchObject({ status: 400, code: 'DEPTH_LIMIT_EXCEEDED' });
    expect(await refusal({ query: SEIZURES, path: 'drugSeizures.nodes.port' })).toMatchObject({
      status: 400,
      code: 'BAD_USER_INPUT',
      error: { extensions: { field: 'path', candidates: ['drugSeizures'] } },
    });
    const twoLists = `{ a: drugSeizures(first: 1) { nodes { recordId } } portsOfEntry { code } }`;
    expect(await refusal({ query: twoLists })).toMatchObject({
      status: 400,
      code: 'BAD_USER_INPUT',
      error: {
        message: 'The operation selects several lists: say which to export in "path" (a, portsOfEntry).',
        extensions: { field: 'path', candidates: ['a', 'portsOfEntry'] },
      },
    });
    expect(await refusal({ query: SEIZURES, path: 'a..b' })).toMatchObject({ status: 400, code: 'BAD_USER_INPUT' });
    expect(await refusal(['not', 'an', 'object'])).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    expect(await refusal({ query: SEIZURES, bom: 'yes' })).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    // A mutation is never run by an export (refused before it executes: nothing is written).
    const mutation = `mutation ($input: DrugSeizureInput!, $submission: SubmissionInput!) {
      recordDrugSeizure(input: $input, submission: $submission) { recordId }
    }`;
    expect(await refusal({ query: mutation })).toMatchObject({ status: 400, code: 'BAD_REQUEST' });
    // The subgraph's own refusal of an argument (a page of more than 100).
    expect(await refusal({ query: SEIZURES, variables: { first: 500 } })).toMatchObject({
      status: 400,
      code: 'BAD_USER_INPUT',
    });
    // The public may not read seizures; a token that does not verify is not the public.
    expect(await refusal({ query: SEIZURES }, null)).toMatchObject({
      status: 403,
      code: 'UNAUTHORIZED_FIELD_OR_TYPE',
    });
    expect(await refusal({ query: SEIZURES }, 'not-a-token')).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
  });

  it('holds an export to the safelist as /graphql is (SAFELIST=enforce)', async () => {
    const enforcing = await graph.startGateway({ SAFELIST: 'enforce' });
    const url = new URL('/csv', enforcing.url).href;
    const staff = await graph.token({ subject: 'csv-cbp', agency: 'CBP', country: 'US', scopes: [] });
    const refused = await exportCsv({ query: SEIZURES }, staff, url);
    expect(refused.status).toBe(403);
    expect((JSON.parse(refused.text) as GraphQLErrors).errors?.[0]?.extensions?.['code']).toBe('QUERY_NOT_IN_SAFELIST');
    // An analyst may run ad hoc operations: the same export as on a gateway without the safelist.
    const analyst = await exportCsv({ query: SEIZURES }, usAnalyst, url);
    expect(analyst.status).toBe(200);
    expect(analyst.text).toBe((await exportCsv({ query: SEIZURES }, usAnalyst)).text);
  });

  it('cuts the body short, never ending it as a whole file, when a later page fails', async () => {
    // A seizure in a state the catalogue does not have: its page has no `state` (non-null), so
    // the whole page is an error. It is the fourth of four by day: the second page of two.
    const prisma = graph.handles.borderTrade.prisma;
    const { id: sourceId } = await prisma.source.findFirstOrThrow({ orderBy: { id: 'asc' } });
    await prisma.drugSeizure.createMany({
      data: [1, 2, 3, 4].map((day) => ({
        recordId: `CSV-BROKEN-${day}`,
        objectiveId: '2.1.2',
        location: 'BETWEEN_PORTS' as const,
        stateCode: day === 4 ? 'US-ZZ' : 'US-AZ',
        seizedOn: new Date(Date.UTC(2030, 5, day)),
        drug: 'COCAINE' as const,
        quantity: day,
        unit: 'KILOGRAMS' as const,
        mode: 'CARGO' as const,
        sourceId,
        recordedBy: 'csv-test',
      })),
    });
    const broken = SEIZURES.replace(FIXTURE_PERIOD, '{ from: "2030-06-01", to: "2030-06-30" }');
    const response = await fetch(csvUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${usAnalyst}` },
      body: JSON.stringify({ query: broken }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    await expect(response.text()).rejects.toThrow(/terminated/);

    // More rows than CSV_MAX_ROWS: refused before the first byte when the first page shows it
    // (its totalCount), cut short after the rows it allows otherwise.
    const capped = await graph.startGateway({ CSV_MAX_ROWS: '3' });
    const cappedUrl = new URL('/csv', capped.url).href;
    const counted = SEIZURES.replace('pageInfo {', 'totalCount\n      pageInfo {');
    const refused = await exportCsv({ query: counted }, usAnalyst, cappedUrl);
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text)).toEqual({
      errors: [
        {
          message: 'The list has 5 rows, more than the limit of 3 (CSV_MAX_ROWS).',
          extensions: { code: 'CSV_ROW_LIMIT_EXCEEDED', limit: 3 },
        },
      ],
    });
    const cut = await fetch(cappedUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${usAnalyst}` },
      body: JSON.stringify({ query: SEIZURES }),
    });
    expect(cut.status).toBe(200);
    await expect(cut.text()).rejects.toThrow(/terminated/);
  });

  describe('100,000 rows', () => {
    const BULK = 100_000;
    const BULK_QUERY = `#graphql
      query BulkSeizures($after: String) {
        drugSeizures(port: "0902", first: 100, after: $after) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            recordId
            seizedOn
            drug
            quantity
            unit
            port {
              code
            }
          }
        }
      }
    `;

    beforeAll(async () => {
      const prisma = graph.handles.borderTrade.prisma;
      const { id: sourceId } = await prisma.source.findFirstOrThrow({ orderBy: { id: 'asc' } });
      await prisma.portOfEntry.create({
        data: { code: '0902', name: 'Volumen', stateCode: 'US-TX', kind: 'LAND', sourceId, recordedBy: 'csv-test' },
      });
      // Straight into border-trade's table: one statement, days spread over 2032–2059.
      await prisma.$executeRawUnsafe(
        `INSERT INTO "DrugSeizure" ("id", "recordId", "objectiveId", "location", "portCode", "stateCode", "seizedOn",
           "drug", "quantity", "unit", "quantityKg", "mode", "sourceId", "releasableTo", "recordedBy")
         SELECT gen_random_uuid(), 'CSV-BULK-' || lpad(n::text, 6, '0'), '2.1.2', 'AT_PORT', '0902', 'US-TX',
           DATE '2032-01-01' + (n % 10000), 'METHAMPHETAMINE', n / 10.0, 'KILOGRAMS', n / 10.0, 'CARGO', $1,
           'BOTH', 'csv-test'
         FROM generate_series(1, ${BULK}) AS n`,
        sourceId,
      );
      // PGlite runs no autovacuum: without statistics after a bulk load, its planner sorts the
      // port's 100,000 rows for every page (measured: 222 s for the export, 26 s after ANALYZE).
      await prisma.$executeRawUnsafe('ANALYZE "DrugSeizure"');
      expect(await totalCount(usAnalyst, 'port: "0902"')).toBe(BULK);
    }, 120_000);

    it('streams them all, page by page, with the heap kept flat', async () => {
      // The harness logs every SQL statement of every subgraph (graph.statements), a few KB a
      // page: emptied before each reading, so that the heap read is the export's.
      const forgetStatements = () => {
        for (const counter of graph.statements.values()) counter.reset();
      };
      forgetStatements();
      collectGarbage();
      const baseline = process.memoryUsage().heapUsed;
      const samples: number[] = [];
      graph.resetRequests();
      const started = performance.now();
      const response = await fetch(csvUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${usAnalyst}` },
        body: JSON.stringify({ query: BULK_QUERY }),
      });
      expect(response.status).toBe(200);
      // Parsed as it arrives: this side holds no more of the file than the export does.
      const records = Readable.from(chunksOf(response.body!)).pipe(parse({ bom: true }));
      let count = 0;
      let header: string[] | undefined;
      const recordIds = new Set<string>();
      for await (const record of records as AsyncIterable<string[]>) {
        if (count === 0) header = record;
        else if (count % 1000 === 0) recordIds.add(record[0]!);
        count += 1;
        if (count % 10_000 === 0) {
          forgetStatements();
          collectGarbage();
          samples.push(process.memoryUsage().heapUsed - baseline);
        }
      }
      const seconds = (performance.now() - started) / 1000;
      expect(header).toEqual(['recordId', 'seizedOn', 'drug', 'quantity', 'unit', 'port.code']);
      expect(count - 1).toBe(BULK);
      expect(recordIds.size).toBe(BULK / 1000);
      // One subgraph request per page of 100: the last one says there is no more.
      expect(graph.requests.get('border-trade')).toBe(BULK / 100);

      // What holding the rows would take: 20,000 of them as the answers' data holds them (parsed
      // from JSON, every string its own), times five.
      const rowsAsJson = JSON.stringify(
        Array.from({ length: 20_000 }, (_, i) => ({
          recordId: `CSV-BULK-${String(i).padStart(6, '0')}`,
          seizedOn: `2032-01-${String((i % 28) + 1).padStart(2, '0')}`,
          drug: 'METHAMPHETAMINE',
          quantity: i / 10,
          unit: 'KILOGRAMS',
          port: { code: '0902' },
        })),
      );
      collectGarbage();
      const before = process.memoryUsage().heapUsed;
      const held = JSON.parse(rowsAsJson) as unknown[];
      collectGarbage();
      const heldBytes = (process.memoryUsage().heapUsed - before) * (BULK / held.length);
      const peak = Math.max(...samples);
      // Printed for the README's figures; the assertions are below.
      process.stdout.write(
        `csv export: ${BULK} rows in ${seconds.toFixed(1)} s; heap growth peak ${(peak / 2 ** 20).toFixed(1)} MiB ` +
          `(samples ${samples.map((s) => (s / 2 ** 20).toFixed(1)).join(', ')}); ` +
          `${BULK} rows held would be ${(heldBytes / 2 ** 20).toFixed(1)} MiB\n`,
      );
      expect(held).toHaveLength(20_000);
      // Well under the rows held, and not growing with them: over the second 50,000 rows the heap
      // grows by less than a quarter of what those rows would take (what it does grow by is the
      // in-process graph's own state per request, the same through /graphql).
      expect(peak).toBeLessThan(heldBytes / 2);
      expect(samples[9]! - samples[4]!).toBeLessThan(heldBytes / 2 / 4);
      expect(peak).toBeLessThan(16 * 2 ** 20);
    }, 240_000);

    it('stops asking for pages when the client goes away', async () => {
      graph.resetRequests();
      const controller = new AbortController();
      const response = await fetch(csvUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${usAnalyst}` },
        body: JSON.stringify({ query: BULK_QUERY }),
        signal: controller.signal,
      });
      const reader = response.body!.getReader();
      let received = 0;
      while (received < 50_000) {
        const { value, done } = await reader.read();
        if (done) break;
        received += value.length;
      }
      controller.abort();
      // The page in flight when the client left ends; no other starts.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const asked = graph.requests.get('border-trade') ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(graph.requests.get('border-trade') ?? 0).toBe(asked);
      expect(asked).toBeGreaterThan(0);
      // Short of the 1,000 pages (what the sockets' buffers held ahead of the reader decides how far).
      expect(asked).toBeLessThan(BULK / 100);
    }, 60_000);
  });
});
