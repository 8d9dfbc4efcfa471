// The graph's contract: the shared SDL, the supergraph config and composed file, error codes, page sizes, languages.
export * from './access';
export * from './config';
export * from './errorCodes';
export * from './language';
export * from './pages';
export * from './sdl';
