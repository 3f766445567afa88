'use strict';
// Runs once before the suites: says once, not per suite, when SHARED_DIR lacks
// the files some suites compare with (those suites skip themselves).
const fs = require('fs');
const path = require('path');
const { SHARED_FILES } = require('../scripts/shared-sources');

module.exports = async function globalSetup() {
  const dir = path.resolve(process.env.SHARED_DIR || path.join(__dirname, '..', '..', 'shared'));
  const missing = SHARED_FILES.filter((file) => !fs.existsSync(path.join(dir, file.path)));
  if (missing.length === 0) return;
  const folders = [...new Set(missing.map((file) => file.path.split('/')[0]))];
  const what = folders.map((f) => (f === 'crds' ? 'crds/ (the pinned upstream CRDs)' : `${f}/ (the proof of concept's manifests)`)).join(' and ');
  console.log(`\nNOTICE: SHARED_DIR=${dir} lacks ${missing.length} of the ${SHARED_FILES.length} files in ${what}; `
    + 'the suites and tests that compare with them are SKIPPED. Run `npm run fetch-shared` (downloads them from their pinned '
    + 'upstream URLs and checks their sha256) or set SHARED_DIR to a folder that has them.\n');
};
