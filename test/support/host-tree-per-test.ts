import { HostTree, makeHostTree } from './host-tree';

/**
 * A fresh host tree for each test of the enclosing describe, removed after it once the test has
 * also shown that no root-only secret was read or changed and nothing leaked. `prepare` runs on
 * each new tree. Returns the current tree.
 */
export function hostTreePerTest(prepare?: (tree: HostTree) => void): () => HostTree {
  let tree: HostTree | undefined;
  beforeEach(() => {
    tree = makeHostTree();
    prepare?.(tree);
  });
  afterEach(() => {
    const done = tree as HostTree;
    tree = undefined;
    try {
      expect(done.secrets.problems()).toEqual([]);
      expect(done.leaks()).toEqual([]);
    } finally {
      done.remove();
    }
  });
  return () => {
    if (!tree) throw new Error('the host tree exists only while a test runs');
    return tree;
  };
}
