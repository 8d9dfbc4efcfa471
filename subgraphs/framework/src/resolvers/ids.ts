import { badUserInput } from '@bicentennial/service';

const FORMATS = {
  goal: { pattern: /^[1-9]$/, example: '2' },
  cooperation: { pattern: /^[1-9]\.[1-9]$/, example: '2.2' },
  objective: { pattern: /^[1-9]\.[1-9]\.[1-9]$/, example: '2.2.1' },
  region: { pattern: /^(US|MX)(-[A-Z]{2,3})?$/, example: 'MX-CHH' },
  indicator: { pattern: /^[1-9]\.[1-9]\.[1-9]\/[a-z0-9]+(-[a-z0-9]+)*$/, example: '2.2.1/us-sourced-share' },
} as const;

const NAMES: Record<keyof typeof FORMATS, string> = {
  goal: 'a goal id',
  cooperation: 'a cooperation area id',
  objective: 'a joint objective id (goal.area.objective)',
  region: 'an ISO 3166 region code',
  indicator: 'an indicator id (<objective>/<slug>)',
};

/**
 * Checks an id argument's form: a well-formed id that does not exist is `null` in the graph,
 * an id that cannot exist is a BAD_USER_INPUT error naming the argument.
 */
export function requireIdFormat(kind: keyof typeof FORMATS, value: string, argument: string): string {
  const { pattern, example } = FORMATS[kind];
  if (!pattern.test(value)) {
    throw badUserInput(`"${value.slice(0, 64)}" is not ${NAMES[kind]}, such as ${example}`, argument);
  }
  return value;
}
