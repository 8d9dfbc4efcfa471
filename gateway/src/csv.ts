import { HeaderMap, type ApolloServer, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { ErrorCode, type Caller } from '@bicentennial/schema';
import type { Logger } from '@bicentennial/service';
import { stringify, type Options as StringifyOptions } from 'csv-stringify/sync';
import type { Request, RequestHandler, Response } from 'express';
import type { GraphQLFormattedError } from 'graphql';
import type { GatewayContext } from './access';
import { cellsOf, pageOf, planCsvExport, type CsvCell, type CsvExportPlan } from './csv/plan';

export {
  cellsOf,
  pageOf,
  planCsvExport,
  CsvPlanError,
  type CsvCell,
  type CsvColumn,
  type CsvExportPlan,
} from './csv/plan';

/** The code of an export refused, or cut short, for having more rows than CSV_MAX_ROWS. */
export const CSV_ROW_LIMIT_EXCEEDED = ErrorCode.CSV_ROW_LIMIT_EXCEEDED;

/**
 * RFC 4180: fields quoted when they hold a comma, a quote (doubled inside) or a line break, records
 * ended by CRLF (what Excel and RFC 4180 expect; every CSV reader takes it). csv-stringify quotes a
 * field holding CR or LF only when told to once the record delimiter is set.
 */
const CSV_OPTIONS: StringifyOptions = {
  record_delimiter: 'windows',
  quote_record_delimiter: true,
  cast: { boolean: (value) => (value ? 'true' : 'false') },
};

/** CSV text of some records (one per line, each ended by CRLF), with the UTF-8 BOM first when asked. */
export function csvRecords(records: readonly (readonly CsvCell[])[], bom = false): string {
  return stringify(records as CsvCell[][], { ...CSV_OPTIONS, bom });
}

/** Where a CSV request's state rides along its first page's GraphQL context (Apollo copies it shallowly). */
const CSV_REQUEST = Symbol('csvRequest');

interface CsvRequestState {
  /** The body's `path`, as asked. */
  path: string | undefined;
  /** The document's text (also for a persisted query sent by hash): the later pages send it. */
  source?: string;
  /** The export, planned once the operation is resolved, before it runs. */
  plan?: CsvExportPlan;
  /** The operation's name (the file's), when it has one. */
  operationName?: string;
}

type CsvContext = GatewayContext & { [CSV_REQUEST]?: CsvRequestState };

/** Told of a request refused before GraphQL (its audit event and metrics), as /graphql's refusals are. */
export type CsvRefused = (req: Request, res: Response, code: string, caller: Caller | null) => void;

/** A status for an answer that /graphql gives 200 with errors: here it is no table, so it is refused by its code. */
const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  [ErrorCode.BAD_USER_INPUT]: 400,
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.UNAUTHORIZED_FIELD_OR_TYPE]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  PERSISTED_QUERY_NOT_FOUND: 404,
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.SUBGRAPH_UNAVAILABLE]: 502,
  [ErrorCode.TRY_AGAIN]: 503,
};

/** The gateway's `valueCompletion` errors, as formatted errors (message, path, code). */
function valueCompletionOf(extensions: Record<string, unknown> | undefined): GraphQLFormattedError[] {
  const completion = extensions?.['valueCompletion'];
  if (!Array.isArray(completion)) return [];
  return completion.map((entry: unknown) => {
    const {
      message,
      path,
      extensions: inner,
    } = (isObject(entry) ? entry : {}) as {
      message?: unknown;
      path?: unknown;
      extensions?: { code?: unknown };
    };
    const code = typeof inner?.code === 'string' ? inner.code : 'INVALID_GRAPHQL';
    return {
      message: typeof message === 'string' ? message : 'A value of the answer could not be completed.',
      ...(Array.isArray(path) ? { path: path as (string | number)[] } : {}),
      extensions: { code },
    };
  });
}

class CsvRefusal extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly GraphQLFormattedError[],
  ) {
    super(errors[0]?.message ?? 'refused');
  }
}

/** A failure once rows have been written: the response is cut, never ended as if complete. */
class CsvAbort extends Error {}

const refusal = (status: number, message: string, code: string, extensions: Record<string, unknown> = {}) =>
  new CsvRefusal(status, [{ message, extensions: { code, ...extensions } }]);

/** The body of a CSV request, its shape checked (what GraphQL checks is left to it). */
interface CsvBody {
  query: string | undefined;
  variables: Record<string, unknown>;
  operationName: string | undefined;
  extensions: Record<string, unknown> | undefined;
  path: string | undefined;
  bom: boolean;
}

const PATH = /^[_A-Za-z][_0-9A-Za-z]*(\.[_A-Za-z][_0-9A-Za-z]*)*$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readBody(body: unknown): CsvBody {
  const bad = (message: string) => refusal(400, message, 'BAD_REQUEST');
  if (!isObject(body)) {
    throw bad(
      'The body must be a JSON object: { "query": "...", "variables": {...}, "operationName": "...", "path": "...", "bom": false }.',
    );
  }
  const { query, variables, operationName, extensions, path, bom } = body;
  if (query !== undefined && typeof query !== 'string') throw bad('"query" must be a string.');
  if (variables != null && !isObject(variables)) throw bad('"variables" must be an object.');
  if (operationName != null && typeof operationName !== 'string') throw bad('"operationName" must be a string.');
  if (extensions != null && !isObject(extensions)) throw bad('"extensions" must be an object.');
  if (bom != null && typeof bom !== 'boolean') throw bad('"bom" must be true or false.');
  if (path != null && (typeof path !== 'string' || !PATH.test(path))) {
    throw refusal(
      400,
      '"path" must be the dotted response path of the list to export, such as drugSeizures or portOfEntry.drugSeizures.',
      ErrorCode.BAD_USER_INPUT,
      { field: 'path' },
    );
  }
  return {
    query,
    variables: variables ?? {},
    operationName: operationName ?? undefined,
    extensions: extensions ?? undefined,
    path: path ?? undefined,
    bom: bom === true,
  };
}

/** The request's headers for Apollo Server, as expressMiddleware hands them over. */
function headersOf(req: Request): HeaderMap {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  // The statuses of GraphQL over HTTP's own media type: a request error is 400 (graphqlOverHttp.ts).
  headers.set('accept', 'application/graphql-response+json');
  headers.set('content-type', 'application/json');
  return headers;
}

/**
 * The CSV export (README, CSV export): `POST /csv` runs a query — ad hoc, or persisted (APQ) —
 * through the gateway's own GraphQL pipeline with the caller's identity, and streams one list of
 * its answer as CSV, page after page. The plugin plans the export once the operation is resolved
 * (so a bad `path` is refused before anything runs, and audited as any refusal); the handler runs
 * the pages and writes them.
 */
export function csvExport(options: { logger: Logger; maxRows: number }): {
  plugin: ApolloServerPlugin<GatewayContext>;
  handler(server: ApolloServer<GatewayContext>, refused: CsvRefused): RequestHandler;
} {
  const { logger, maxRows } = options;

  const plugin: ApolloServerPlugin<GatewayContext> = {
    requestDidStart: ({ contextValue }) => {
      const state = (contextValue as CsvContext)[CSV_REQUEST];
      if (!state) return Promise.resolve();
      return Promise.resolve({
        didResolveSource: ({ source }) => {
          state.source = source;
          return Promise.resolve();
        },
        didResolveOperation: ({ schema, document, operation, request }) => {
          // An operation that cannot be determined is refused by graphqlOverHttpStatus.
          if (!operation) return Promise.resolve();
          state.plan = planCsvExport(schema, document, operation, request.variables ?? {}, state.path);
          if (operation.name) state.operationName = operation.name.value;
          return Promise.resolve();
        },
      });
    },
  };

  const handler = (server: ApolloServer<GatewayContext>, refused: CsvRefused): RequestHandler => {
    return (req, res, next) => {
      const caller = res.locals['caller'] as Caller;
      let body: CsvBody;
      try {
        body = readBody(req.body);
      } catch (error) {
        if (!(error instanceof CsvRefusal)) throw error;
        const code = error.errors[0]?.extensions?.['code'];
        refused(req, res, typeof code === 'string' ? code : 'BAD_REQUEST', caller);
        res.status(error.status).set('cache-control', 'no-store').json({ errors: error.errors });
        return;
      }
      exportCsv(server, req, res, caller, body).catch(next);
    };
  };

  /** One page: the operation run through Apollo Server as /graphql runs it, for this caller. */
  const run = (
    server: ApolloServer<GatewayContext>,
    req: Request,
    caller: Caller,
    body: CsvBody,
    page: { query: string | undefined; variables: Record<string, unknown>; state?: CsvRequestState },
  ): Promise<GraphQLResponse> => {
    const contextValue: CsvContext = {
      caller,
      fetched: new Set<string>(),
      priorLookup: undefined,
      ...(page.state ? { [CSV_REQUEST]: page.state } : {}),
    };
    return server.executeOperation(
      {
        ...(page.query !== undefined ? { query: page.query } : {}),
        variables: page.variables,
        ...(body.operationName !== undefined ? { operationName: body.operationName } : {}),
        ...(body.extensions ? { extensions: body.extensions } : {}),
        http: { method: 'POST', headers: headersOf(req), search: '', body: req.body as unknown },
      },
      { contextValue },
    );
  };

  /** The page's data; a refusal (before the first byte) for an answer with errors or that is no single result. */
  const dataOf = (response: GraphQLResponse): unknown => {
    if (response.body.kind !== 'single') {
      throw refusal(400, 'A CSV export cannot use @defer or @stream.', 'BAD_REQUEST');
    }
    const { data, extensions } = response.body.singleResult;
    // @apollo/gateway reports a value it had to null (a non-null field a subgraph left null, with
    // the nulls propagated up) in `extensions.valueCompletion`, not in `errors`: rows are missing
    // all the same, so it is an error here.
    const errors = [...(response.body.singleResult.errors ?? []), ...valueCompletionOf(extensions)];
    if (errors.length > 0) {
      const pipeline = response.http.status;
      const code = errors[0]?.extensions?.['code'];
      const status =
        pipeline !== undefined && pipeline >= 400
          ? pipeline
          : ((typeof code === 'string' ? STATUS_BY_CODE[code] : undefined) ?? 500);
      throw new CsvRefusal(status, errors);
    }
    return data;
  };

  const exportCsv = async (
    server: ApolloServer<GatewayContext>,
    req: Request,
    res: Response,
    caller: Caller,
    body: CsvBody,
  ): Promise<void> => {
    const state: CsvRequestState = { path: body.path };
    let plan: CsvExportPlan;
    let page: ReturnType<typeof pageOf>;
    try {
      const first = await run(server, req, caller, body, { query: body.query, variables: body.variables, state });
      const data = dataOf(first);
      if (!state.plan) throw refusal(500, 'The export could not be planned.', ErrorCode.INTERNAL_SERVER_ERROR);
      plan = state.plan;
      page = pageOf(plan, data);
      // Refused before the first row when the first page (or the connection's totalCount) says so.
      const known = Math.max(page.totalCount ?? 0, page.items.length);
      if (known > maxRows) {
        throw refusal(
          400,
          `The list has ${known} rows, more than the limit of ${maxRows} (CSV_MAX_ROWS).`,
          CSV_ROW_LIMIT_EXCEEDED,
          { limit: maxRows },
        );
      }
    } catch (error) {
      if (error instanceof CsvRefusal) {
        res.status(error.status).set('cache-control', 'no-store').json({ errors: error.errors });
        return;
      }
      logger.error({ err: error }, 'a CSV export failed before its first row');
      res.status(500).json({
        errors: [{ message: 'The CSV export failed.', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
      });
      return;
    }

    // The client going away stops the pages: nothing more is asked of the subgraphs.
    let gone = false;
    const wakers = new Set<() => void>();
    res.on('close', () => {
      if (!res.writableFinished) gone = true;
      for (const wake of wakers) wake();
    });
    /** Writes a chunk; when the socket's buffer is full, waits until it drains (or the client leaves). */
    const write = async (text: string) => {
      if (gone || res.write(text)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          wakers.delete(done);
          resolve();
        };
        res.once('drain', done);
        wakers.add(done);
      });
    };

    // A GraphQL name needs no quoting in a header.
    const name = state.operationName ?? 'export';
    res.status(200).set({
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    let rows = 0;
    let pages = 1;
    try {
      await write(csvRecords([plan.columns.map((c) => c.name)], body.bom));
      for (;;) {
        if (rows + page.items.length > maxRows) {
          throw new CsvAbort(`more than ${maxRows} rows (CSV_MAX_ROWS)`);
        }
        if (page.items.length > 0) {
          await write(csvRecords(page.items.map((item) => cellsOf(plan, item))));
        }
        rows += page.items.length;
        const next = page.next;
        if (gone || !plan.paging || !next?.hasNextPage) break;
        if (next.endCursor === null) throw new CsvAbort('a page said there was more but gave no endCursor');
        const after = next.endCursor;
        const response = await run(server, req, caller, body, {
          query: state.source,
          variables: { ...body.variables, [plan.paging.afterVariable]: after },
        });
        pages += 1;
        if (gone) break;
        let data: unknown;
        try {
          data = dataOf(response);
        } catch (error) {
          if (!(error instanceof CsvRefusal)) throw error;
          const codes = error.errors.map((e) => e.extensions?.['code']);
          throw new CsvAbort(`page ${pages} was answered with errors (${codes.join(', ')}): ${error.message}`);
        }
        page = pageOf(plan, data);
        // The page before said there was more: a list gone null now is rows lost, not the end.
        if (page.absent) throw new CsvAbort(`page ${pages} has no list at "${plan.path.join('.')}"`);
        if (page.next?.endCursor === after && page.next.hasNextPage) {
          throw new CsvAbort(`page ${pages} gave the cursor it was asked after`);
        }
      }
    } catch (error) {
      // The status line and some rows are out: the only way to say the file is incomplete is to
      // cut the chunked body, so that no client takes it for a whole file.
      logger.warn(
        { reason: error instanceof Error ? error.message : String(error), rows, pages },
        'a CSV export was cut short after its first rows',
      );
      res.destroy();
      return;
    }
    if (gone) {
      logger.info({ rows, pages }, 'a CSV export stopped: the client went away');
      return;
    }
    res.end();
  };

  return { plugin, handler };
}
