import { checkCompatibility, describeBrokenOperation, describeChange, isBreaking } from '../check';
import { collectOperations } from '../../operations/collect';
import { REPOSITORY_ROOT } from '../../operations/config';
import { addField, composeWith, removeField, retypeField } from './edits';

/**
 * The baseline is what the real subgraph SDL files compose to; each case changes one subgraph's SDL
 * in memory and checks it against the dashboards' contract operations (test/src/operations.ts).
 */
describe('the breaking-change check', () => {
  const baseline = composeWith();
  const { operations } = collectOperations(['test/src/operations.ts'], REPOSITORY_ROOT);
  const check = (composed: string) =>
    checkCompatibility({ committedSupergraphSdl: baseline, composedSupergraphSdl: composed, operations });

  it('reads the contract operations it checks against', () => {
    expect(operations.map((o) => o.name)).toEqual(expect.arrayContaining(['Dashboard', 'Missing', 'Objective']));
  });

  it('finds nothing when nothing changed', async () => {
    const report = await check(baseline);
    expect(report).toEqual({ breaking: [], notes: [], brokenOperations: [] });
    expect(isBreaking(report)).toBe(false);
  });

  it('names the subgraph, the field and the operations when a field the Dashboard reads is removed', async () => {
    const report = await check(composeWith('framework', removeField('JointObjective', 'owner')));
    expect(report.breaking).toEqual([
      {
        subgraphs: ['framework'],
        coordinate: 'JointObjective.owner',
        level: 'BREAKING',
        type: 'FIELD_REMOVED',
        message: "Field 'owner' was removed from object type 'JointObjective'",
        operations: ['Dashboard', 'Objective'],
      },
    ]);
    expect(report.breaking.map(describeChange)).toEqual([
      "framework: JointObjective.owner: Field 'owner' was removed from object type 'JointObjective' (BREAKING) — used by persisted operations Dashboard, Objective",
    ]);
    expect(report.brokenOperations.map(describeBrokenOperation)).toEqual([
      'persisted operation Dashboard no longer validates: Cannot query field "owner" on type "JointObjective". (after framework: JointObjective.owner)',
      'persisted operation Objective no longer validates: Cannot query field "owner" on type "JointObjective". (after framework: JointObjective.owner)',
    ]);
    expect(report.notes).toEqual([]);
    expect(isBreaking(report)).toBe(true);
  });

  it('names the subgraph, the field and the operations when a field is retyped', async () => {
    const report = await check(composeWith('framework', retypeField('JointObjective', 'area', 'ID!')));
    expect(report.breaking).toEqual([
      {
        subgraphs: ['framework'],
        coordinate: 'JointObjective.area',
        level: 'BREAKING',
        type: 'FIELD_TYPE_CHANGED',
        message: "Field 'JointObjective.area' changed type from 'CooperationArea!' to 'ID!'",
        operations: ['Objective'],
      },
    ]);
    expect(report.brokenOperations).toEqual([
      {
        name: 'Objective',
        errors: ['Field "area" must not have a selection since type "ID!" has no subfields.'],
        causes: ['framework: JointObjective.area'],
      },
    ]);
    expect(isBreaking(report)).toBe(true);
  });

  it('passes an added field, printed as a note naming its subgraph', async () => {
    const report = await check(
      composeWith('firearms', addField('FirearmTrace', '"Traces ATF could not complete." untracedCount: Int')),
    );
    expect(report.breaking).toEqual([]);
    expect(report.brokenOperations).toEqual([]);
    expect(report.notes.map(describeChange)).toEqual([
      "firearms: FirearmTrace.untracedCount: Field 'untracedCount' was added to object type 'FirearmTrace' (NON_BREAKING)",
      "firearms: FirearmTrace.untracedCount: Field 'FirearmTrace.untracedCount' has description 'Traces ATF could not complete.' (NON_BREAKING)",
    ]);
    expect(isBreaking(report)).toBe(false);
  });
});
