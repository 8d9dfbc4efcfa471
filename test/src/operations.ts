/** The operations dashboards rely on, exactly as the contract gives them. */
export const DASHBOARD = `#graphql
query Dashboard {
  goals {
    id
    title(lang: ES)
    areas {
      id
      objectives {
        id
        title
        owner
        indicators { id name unit series { period value source { publisher url kind } } }
      }
    }
  }
}`;

export const OBJECTIVE = `#graphql
query Objective { objective(id: "2.2.1") { id title area { id } goal { id } owner indicators { id latest { period value } } } }`;

export const MISSING = `#graphql
query Missing { objective(id: "9.9.9") { id } }`;

/** An analyst's walk from one organization (finance) to its extraditions and trafficking cases. */
export const SINALOA_WALK = `#graphql
query SinaloaWalk { criminalOrganization(slug: "SINALOA") {
    name
    designations(first: 50) { nodes { designatedOn authorities targetKind } }
    extraditions(first: 100) { nodes { person status surrenderedOn destination organization { slug } } }
    firearmsTraffickingCases(first: 1) { totalCount } } }`;

export interface GraphQLResponse<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
}

export interface DashboardData {
  goals: {
    id: string;
    title: string;
    areas: {
      id: string;
      objectives: {
        id: string;
        title: string;
        owner: string;
        indicators: {
          id: string;
          name: string;
          unit: string;
          series:
            { period: string; value: number; source: { publisher: string; url: string | null; kind: string } }[] | null;
        }[];
      }[];
    }[];
  }[];
}

export interface ObjectiveData {
  objective: {
    id: string;
    title: string;
    area: { id: string };
    goal: { id: string };
    owner: string;
    indicators: { id: string; latest: { period: string; value: number } | null }[];
  } | null;
}

/**
 * POSTs an operation to a GraphQL endpoint, as the caller of `token` (none: the public); returns
 * the HTTP status and the parsed body.
 */
export async function post<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string | undefined } = {},
): Promise<{ status: number; body: GraphQLResponse<T> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    body: JSON.stringify({ query, ...(variables ? { variables } : {}) }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: (await response.json()) as GraphQLResponse<T> };
}

export const objectivesOf = (data: DashboardData) => data.goals.flatMap((g) => g.areas).flatMap((a) => a.objectives);

/** The owners of the 26 joint objectives (shared/reference/ownership.md). */
export const OBJECTIVE_OWNERS: Record<string, string> = {
  '1.1.1': 'PUBLIC_HEALTH',
  '1.1.2': 'PUBLIC_HEALTH',
  '1.2.1': 'PUBLIC_HEALTH',
  '1.2.2': 'PUBLIC_HEALTH',
  '1.3.1': 'PUBLIC_HEALTH',
  '1.3.2': 'EXTRADITION',
  '2.1.1': 'BORDER_TRADE',
  '2.1.2': 'BORDER_TRADE',
  '2.1.3': 'BORDER_TRADE',
  '2.1.4': 'BORDER_TRADE',
  '2.1.5': 'BORDER_TRADE',
  '2.2.1': 'FIREARMS',
  '2.2.2': 'FIREARMS',
  '2.2.3': 'FIREARMS',
  '2.3.1': 'BORDER_TRADE',
  '2.3.2': 'BORDER_TRADE',
  '2.3.3': 'BORDER_TRADE',
  '2.4.1': 'BORDER_TRADE',
  '2.4.2': 'BORDER_TRADE',
  '3.1.1': 'FINANCE',
  '3.1.2': 'FINANCE',
  '3.1.3': 'FINANCE',
  '3.1.4': 'FINANCE',
  '3.2.1': 'EXTRADITION',
  '3.3.1': 'FINANCE',
  '3.4.1': 'EXTRADITION',
};

/**
 * What every run of the Dashboard query must show: 3 goals with their official Spanish titles,
 * 11 areas, 26 objectives with their owners, at least one indicator each, and real sourced
 * values. Returns the objectives for further checks.
 */
export function expectCompleteDashboard(data: DashboardData | null | undefined) {
  expect(data?.goals.map((g) => [g.id, g.title])).toEqual([
    ['1', 'Proteger a Nuestra Gente'],
    ['2', 'Prevenir los Delitos Transfronterizos'],
    ['3', 'Perseguir las Redes Criminales'],
  ]);
  expect(data!.goals.flatMap((g) => g.areas)).toHaveLength(11);
  const objectives = objectivesOf(data!);
  expect(Object.fromEntries(objectives.map((o) => [o.id, o.owner]))).toEqual(OBJECTIVE_OWNERS);
  for (const objective of objectives) expect(objective.indicators.length).toBeGreaterThanOrEqual(1);
  const values = objectives.flatMap((o) => o.indicators).flatMap((i) => i.series ?? []);
  expect(values.length).toBeGreaterThan(50);
  // Published figures only (official, or from a named non-official publisher), never synthetic ones.
  expect(values.every((v) => v.source.kind !== 'SYNTHETIC' && v.source.publisher.length > 0)).toBe(true);
  return objectives;
}

/** A few published figures that must come through the gateway from their owners. */
export function expectPublishedFigures(data: DashboardData) {
  const indicators = new Map(
    objectivesOf(data)
      .flatMap((o) => o.indicators)
      .map((i) => [i.id, i]),
  );
  const value = (indicator: string, period: string) =>
    indicators
      .get(indicator)
      ?.series?.filter((o) => o.period === period)
      .map((o) => o.value);
  // Each headline series holds one value per period: ATF's calendar years (the multi-year totals
  // stay outside the line), the final count where there is one, one source family.
  expect(value('2.2.1/us-sourced-share', '2024')).toEqual([70.5]);
  expect(value('2.2.1/us-sourced-share', '2017/2022')).toEqual([]);
  // Calendar year 2023: CDC's final count, not the provisional total estimated in May 2025.
  expect(value('1.1.1/us-overdose-deaths', '2023')).toEqual([105007]);
  expect(value('2.3.3/cbp-fentanyl-seizures', 'FY2024')).toEqual([21889]);
  expect(value('3.4.1/mx-extraditions-to-us', '2022')).toEqual([78]);
  // INEGI's death-certificate counts are the homicide line; SESNSP's are other values.
  expect(value('1.3.1/mx-homicides', '2019')).toEqual([36661]);
}
