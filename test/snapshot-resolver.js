// Maps build/test/<dir>/<name>.test.js to test/<dir>/__snapshots__/<name>.test.ts.snap.
const path = require('path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'build', 'test');
const sources = path.join(root, 'test');

module.exports = {
  resolveSnapshotPath: (testPath, ext) => {
    const rel = path.relative(built, testPath).replace(/\.js$/, '.ts');
    return path.join(sources, path.dirname(rel), '__snapshots__', path.basename(rel) + ext);
  },
  resolveTestPath: (snapshotPath, ext) => {
    const rel = path.relative(sources, snapshotPath);
    const name = path.basename(rel, ext).replace(/\.ts$/, '.js');
    return path.join(built, path.dirname(path.dirname(rel)), name);
  },
  testPathForConsistencyCheck: path.join(built, 'apps', 'example.test.js'),
};
