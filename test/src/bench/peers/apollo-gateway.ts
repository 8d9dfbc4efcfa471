import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * The benchmark's plain @apollo/gateway server: @apollo/gateway 2 and @apollo/server 5's
 * `startStandaloneServer`, with their defaults. The one thing added is what our subgraphs require
 * of every request: an internal token for that subgraph, sent by a `RemoteGraphQLDataSource`
 * (`buildService`) as `authorization: Bearer …`.
 *
 *   node apollo-gateway.js <supergraph file> <tokens file> <port>
 *
 * The supergraph file is the composed one as `forApolloGateway` gives it (the access directives'
 * links without their SECURITY purpose, which @apollo/gateway refuses); the tokens file maps each
 * subgraph to its token, signed by the bench with `createInternalSigner` for the length of the
 * run. Both are prepared by the bench, so that this process loads nothing but Apollo's packages
 * (its memory is measured against ours). `npm run bench` compiles this file and runs it with
 * plain `node`, as our gateway runs.
 */
async function main(): Promise<void> {
  const [supergraphPath, tokensPath, port] = process.argv.slice(2);
  if (!supergraphPath || !tokensPath || !port) {
    process.stderr.write('usage: node apollo-gateway.js <supergraph file> <tokens file> <port>\n');
    process.exit(2);
  }
  const tokens = JSON.parse(readFileSync(tokensPath, 'utf8')) as Record<string, string>;
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(supergraphPath, 'utf8'),
    buildService: ({ name, url }) => {
      const token = tokens[name];
      if (!token) throw new Error(`no internal token for subgraph ${name} in ${tokensPath}`);
      return new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request }) {
          request.http?.headers.set('authorization', `Bearer ${token}`);
        },
      });
    },
  });
  const server = new ApolloServer({ gateway });
  const { url } = await startStandaloneServer(server, { listen: { host: '127.0.0.1', port: Number(port) } });
  // Apollo Server stops itself on SIGTERM and SIGINT (its default `stopOnTerminationSignals`).
  process.stdout.write(`serving ${url}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
