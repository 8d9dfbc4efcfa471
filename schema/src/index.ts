// The graph's contract: the shared SDL, the supergraph config and composed file, error codes, page sizes.
export * from './access';
export * from './config';
export * from './errorCodes';
export * from './pages';
export * from './sdl';
