'use strict';
// Runs once after the suites: fails the run when a test wrote into the
// repository (an App without an outdir writes dist/<chart>.k8s.yaml), because
// such a stray file breaks later runs of unrelated tests.
const fs = require('fs');
const path = require('path');

module.exports = async function globalTeardown() {
  const dist = path.join(__dirname, '..', 'dist');
  const stray = fs.existsSync(dist) ? fs.readdirSync(dist).filter((f) => f.endsWith('.k8s.yaml')) : [];
  if (stray.length > 0) {
    throw new Error(`a test wrote ${stray.map((f) => `dist/${f}`).join(', ')} into the repository: `
      + 'synthesize with newChart() or new App({ outdir: scratchOutdir() }) (test/helpers.ts), then delete the files');
  }
};
