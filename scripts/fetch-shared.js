#!/usr/bin/env node
'use strict';
// npm run fetch-shared [-- --check] [--dir DIR]
// Fills SHARED_DIR (default ../shared, or --dir) with the pinned upstream CRDs
// and the proof of concept's manifests that `npm run import` and the tests read
// (scripts/shared-sources.js), downloaded from their pinned upstream URLs, and
// checks every file against the sha256 committed in scripts/shared-sha256.txt.
// A file that is present with the right hash is not downloaded again; a download
// with another hash is not written. --check downloads nothing: it only verifies.
// Needs the internet (raw.githubusercontent.com); nothing else in the build does.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { parseAllDocuments } = require('yaml');
const { SHARED_FILES } = require('./shared-sources');

const HASH_FILE = path.join(__dirname, 'shared-sha256.txt');

function sharedDir() {
  return path.resolve(process.env.SHARED_DIR || path.join(__dirname, '..', '..', 'shared'));
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** The committed hashes: lines `<sha256>  <path>` (the format of `sha256sum`). */
function readHashes(file = HASH_FILE) {
  const hashes = new Map();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const match = /^([0-9a-f]{64}) {2}(.+)$/.exec(line);
    if (match) hashes.set(match[2], match[1]);
  }
  return hashes;
}

/** Downloads `url` with the global fetch of Node.js 20+. */
async function httpGet(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`);
  return Buffer.from(await response.arrayBuffer());
}

/**
 * The document of a multi-document YAML file whose metadata.name is `name`,
 * as `---\n<document>`, byte for byte as the file has it.
 */
function extractDocument(text, name, url) {
  const parts = text.split(/^---\n/m).slice(1);
  const part = parts.find((p) => parseAllDocuments(p)[0]?.toJS()?.metadata?.name === name);
  if (part === undefined) throw new Error(`${url} has no document named ${name}`);
  return Buffer.from(`---\n${part}`);
}

/**
 * Makes `dir` hold every file of `files` with its expected hash. Returns one
 * line per file ("ok", "fetched" or the problem) and whether all are good.
 * `get(url)` resolves to the bytes at `url` (injected by the tests).
 */
async function fetchShared({ dir = sharedDir(), files = SHARED_FILES, hashes = readHashes(), get = httpGet, check = false } = {}) {
  const lines = [];
  let ok = true;
  const downloads = new Map();
  const download = (url) => {
    if (!downloads.has(url)) downloads.set(url, get(url));
    return downloads.get(url);
  };
  for (const file of files) {
    const target = path.join(dir, file.path);
    const expected = hashes.get(file.path);
    if (!expected) {
      ok = false;
      lines.push(`${file.path}: no sha256 in ${path.basename(HASH_FILE)}; add one`);
      continue;
    }
    if (fs.existsSync(target) && sha256(fs.readFileSync(target)) === expected) {
      lines.push(`${file.path}: ok`);
      continue;
    }
    if (check) {
      ok = false;
      lines.push(`${file.path}: ${fs.existsSync(target) ? `sha256 ${sha256(fs.readFileSync(target))}, expected ${expected}` : 'missing'}`);
      continue;
    }
    try {
      const body = await download(file.url);
      const bytes = file.document ? extractDocument(body.toString('utf8'), file.document, file.url) : body;
      const actual = sha256(bytes);
      if (actual !== expected) throw new Error(`${file.url} has sha256 ${actual}, expected ${expected}; not written`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const partial = `${target}.partial`;
      fs.writeFileSync(partial, bytes);
      fs.renameSync(partial, target);
      lines.push(`${file.path}: fetched`);
    } catch (error) {
      ok = false;
      lines.push(`${file.path}: ${error.message}`);
    }
  }
  return { ok, lines };
}

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--dir');
  const dir = at >= 0 ? path.resolve(args[at + 1]) : sharedDir();
  const { ok, lines } = await fetchShared({ dir, check: args.includes('--check') });
  for (const line of lines) console.log(line);
  console.log(ok ? `${dir}: ${lines.length} files verified` : `${dir}: problems above`);
  process.exit(ok ? 0 : 1);
}

if (require.main === module) main();

module.exports = { fetchShared, extractDocument, readHashes, sha256, sharedDir };
