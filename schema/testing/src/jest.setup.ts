// @apollo/gateway reports usage to Apollo's servers unless this is set; no test may reach the internet.
process.env['APOLLO_TELEMETRY_DISABLED'] = 'true';

// A test that writes to the console fails, unless it replaced that console method itself (to
// assert on what is written): code under test takes a logger (silentLogger in tests) instead.
const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;
type Method = (typeof METHODS)[number];

const originals = new Map<Method, (...args: unknown[]) => void>();
const guards = new Map<Method, (...args: unknown[]) => void>();
const writes: { method: Method; text: string }[] = [];

beforeEach(() => {
  writes.length = 0;
  for (const method of METHODS) {
    originals.set(method, console[method]);
    const guard = (...args: unknown[]) => {
      writes.push({ method, text: args.map(String).join(' ').slice(0, 500) });
    };
    guards.set(method, guard);
    console[method] = guard;
  }
});

afterEach(() => {
  // Writes through a method the test replaced after us were the test's own business.
  const unowned = writes.filter(({ method }) => console[method] === guards.get(method));
  for (const method of METHODS) {
    const original = originals.get(method);
    if (original) console[method] = original;
  }
  if (unowned.length > 0) {
    throw new Error(
      `the test wrote to the console (pass a logger instead):\n${unowned.map((w) => `console.${w.method}: ${w.text}`).join('\n')}`,
    );
  }
});
