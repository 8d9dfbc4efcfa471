const JOIN_GRAPH = /@join__graph\(name: "([^"]+)", url: "([^"]*)"\)/g;

/**
 * The composed supergraph with each subgraph's routing URL replaced by where this run's subgraph
 * listens, so that every gateway of the bench reads one file and needs no URL settings of its own.
 * Throws when the supergraph has a subgraph `urls` does not give, or `urls` names one it lacks.
 */
export function withSubgraphUrls(sdl: string, urls: ReadonlyMap<string, string>): string {
  const seen = new Set<string>();
  const rewritten = sdl.replace(JOIN_GRAPH, (_match, name: string) => {
    const url = urls.get(name);
    if (url === undefined) throw new Error(`the supergraph has subgraph ${name}, which this run did not start`);
    seen.add(name);
    return `@join__graph(name: "${name}", url: "${url}")`;
  });
  const unknown = [...urls.keys()].filter((name) => !seen.has(name));
  if (unknown.length > 0) throw new Error(`the supergraph has no subgraph ${unknown.join(', ')}`);
  return rewritten;
}
