// The extension's cache of each workspace folder's project facts (client/projectFacts.ts): asked
// of the datastore reader once per folder, again after invalidate() or a failed answer.
import { strict as assert } from 'node:assert';
import { ProjectFacts } from '../../client/projectFacts';
import type { FolderFacts } from '../../client/reader/protocol';

/** ProjectFacts over a stand-in reader that counts its questions and answers `answer(folder, n)`. */
function factsWith(answer: (folder: string, n: number) => FolderFacts | Error) {
  const asked: string[] = [];
  const facts = new ProjectFacts(async (folder) => {
    asked.push(folder);
    const a = answer(folder, asked.length);
    if (a instanceof Error) throw a;
    return a;
  });
  return { facts, asked };
}

describe('project facts of workspace folders', () => {
  it('asks once per folder, however many ask at the same time or later', async () => {
    const { facts, asked } = factsWith((folder) => ({ datastoreRoot: `${folder}/.flowspec`, slurm: false }));
    const roots = await Promise.all([facts.datastoreRoot('/a'), facts.datastoreRoot('/a'), facts.datastoreRoot('/b')]);
    assert.deepEqual(roots, ['/a/.flowspec', '/a/.flowspec', '/b/.flowspec']);
    assert.equal((await facts.of('/a')).slurm, false);
    assert.deepEqual(asked, ['/a', '/b']);
  });

  it('asks again after invalidate() (a project file changed)', async () => {
    const { facts, asked } = factsWith((folder, n) => ({ datastoreRoot: `${folder}/store${n}`, slurm: n > 1 }));
    assert.equal(await facts.datastoreRoot('/a'), '/a/store1');
    const generation = facts.generation;
    facts.invalidate();
    assert.deepEqual(await facts.of('/a'), { datastoreRoot: '/a/store2', slurm: true });
    assert.equal(asked.length, 2);
    assert.notEqual(facts.generation, generation, 'what was started from the old facts can tell');
  });

  it('does not keep a failed answer', async () => {
    const { facts, asked } = factsWith((folder, n) =>
      n === 1 ? new Error('the datastore reader stopped') : { datastoreRoot: folder, slurm: false },
    );
    await assert.rejects(facts.datastoreRoot('/a'), /reader stopped/);
    assert.equal(await facts.datastoreRoot('/a'), '/a');
    assert.equal(asked.length, 2);
  });
});
