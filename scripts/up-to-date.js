'use strict';
// Skipping build steps whose inputs did not change: a step records the size and
// modification time of every file it read (and wrote) in a stamp under build/;
// the next run compares. A file added, removed, touched or restored by git
// makes the step run again. Stamps live in build/, so `npm run clean` resets them.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
// the tests keep their stamps elsewhere
const stampDir = process.env.MAAS_EGRESS_STAMPS_DIR || path.join(root, 'build', '.stamps');

/**
 * `{ path: "size:mtime" }` of every file below each of `paths` (files or
 * folders, relative to the repository or absolute; missing ones are recorded
 * as such) whose name passes `filter`.
 */
function fingerprint(paths, filter = () => true) {
  const out = {};
  const visit = (rel) => {
    const full = path.resolve(root, rel);
    let stat;
    try {
      stat = fs.statSync(full);
    } catch {
      out[rel] = 'missing';
      return;
    }
    if (stat.isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) {
        const child = path.join(rel, name);
        if (fs.statSync(path.resolve(root, child)).isDirectory() || filter(name)) visit(child);
      }
    } else {
      out[rel] = `${stat.size}:${stat.mtimeMs}`;
    }
  };
  for (const p of paths) visit(p);
  return out;
}

function stampFile(name) {
  return path.join(stampDir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
}

/** The stamp `name` as recorded, or undefined. */
function readStamp(name) {
  try {
    return JSON.parse(fs.readFileSync(stampFile(name), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the stamp `name` (or `stored`, when it was read already) holds exactly `print`. */
function upToDate(name, print, stored = readStamp(name)) {
  return stored !== undefined && JSON.stringify(stored) === JSON.stringify(print);
}

/** Records `print` as the state after step `name` succeeded. */
function record(name, print) {
  fs.mkdirSync(stampDir, { recursive: true });
  fs.writeFileSync(stampFile(name), JSON.stringify(print));
}

/** Forgets step `name`, so that it runs next time (after a failure). */
function forget(name) {
  fs.rmSync(stampFile(name), { force: true });
}

module.exports = { fingerprint, upToDate, readStamp, record, forget, root };
