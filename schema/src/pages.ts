/** Page sizes every paginated list of the graph applies (the gateway costs pages with them). */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
