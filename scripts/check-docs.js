#!/usr/bin/env node
'use strict';
// node scripts/check-docs.js   checks README.md, CHANGELOG.md and the guides in docs/:
// every relative link points at a file of the repository and every #anchor at
// a heading of that page (GitHub's and npm's heading ids), the README stays
// short, and no page uses a word a reader cannot look up. Exit 1 on problems.
const fs = require('fs');
const path = require('path');

const README_MAX_LINES = 250;
// Words that name things only this project's history knows.
const UNKNOWN_WORDS = [
  [/\bthe seed\b|\bseed's\b/i, 'say "the proof of concept" (nerdalert/egress-ai-gateway-poc)'],
  [/notes of this change/i, 'name the upstream file, or the guide that explains it'],
  [/SEED-README/, 'name the proof of concept\'s README by its repository'],
];

/** GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingId(text) {
  return text
    .replace(/`/g, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The ids of every heading of a Markdown text, outside code blocks, numbered as GitHub numbers repeats. */
function anchorsOf(markdown) {
  const seen = new Map();
  const ids = new Set();
  for (const line of withoutCode(markdown, { keepInlineCode: true }).split('\n')) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = headingId(m[1]);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

/** The text with fenced code blocks blanked (their lines kept, so line numbers hold) and, unless kept, inline code emptied. */
function withoutCode(markdown, { keepInlineCode = false } = {}) {
  let fenced = false;
  return markdown.split('\n').map((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return '';
    }
    if (fenced) return '';
    return keepInlineCode ? line : line.replace(/`[^`]*`/g, '``');
  }).join('\n');
}

/**
 * Problems of one page: `file` is its path relative to `root`; `read` returns
 * another page's text (or undefined when it does not exist).
 */
function pageProblems(root, file, text, read) {
  const problems = [];
  const lines = withoutCode(text).split('\n');
  lines.forEach((line, i) => {
    const where = `${file}:${i + 1}`;
    for (const m of line.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
      const [filePart, anchor] = target.split('#', 2);
      const targetFile = filePart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), filePart));
      if (targetFile.startsWith('..')) {
        problems.push(`${where}: link ${target} leaves the repository; link to a file of it or to an https: URL`);
        continue;
      }
      const targetText = read(targetFile);
      if (targetText === undefined) {
        problems.push(`${where}: link ${target}: ${targetFile} does not exist`);
        continue;
      }
      if (anchor !== undefined && targetFile.endsWith('.md') && !anchorsOf(targetText).has(anchor)) {
        problems.push(`${where}: link ${target}: ${targetFile} has no heading with id "${anchor}"`);
      }
    }
  });
  // unknown words: in prose and in code alike (a reader meets both)
  text.split('\n').forEach((line, i) => {
    for (const [pattern, fix] of UNKNOWN_WORDS) {
      const m = pattern.exec(line);
      if (m) problems.push(`${file}:${i + 1}: "${m[0]}" means nothing to a reader; ${fix}`);
    }
  });
  if (file === 'README.md') {
    const count = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    if (count > README_MAX_LINES) problems.push(`README.md: ${count} lines; keep it at most ${README_MAX_LINES} and move details into a guide under docs/`);
  }
  return problems;
}

/** The pages checked: README.md, CHANGELOG.md and every guide of docs/ (not the generated API.md). */
function pagesOf(root) {
  const docs = fs.existsSync(path.join(root, 'docs')) ? fs.readdirSync(path.join(root, 'docs')) : [];
  return ['README.md', 'CHANGELOG.md', ...docs.filter((f) => f.endsWith('.md') && f !== 'API.md').sort().map((f) => `docs/${f}`)];
}

function docsProblems(root) {
  const read = (file) => {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) return undefined;
    return fs.statSync(full).isDirectory() ? '' : fs.readFileSync(full, 'utf8');
  };
  return pagesOf(root).flatMap((file) => pageProblems(root, file, read(file) ?? '', read));
}

module.exports = { headingId, anchorsOf, pageProblems, pagesOf, docsProblems, README_MAX_LINES };

if (require.main === module) {
  const root = path.join(__dirname, '..');
  const problems = docsProblems(root);
  for (const problem of problems) console.error(problem);
  const pages = pagesOf(root).length;
  if (problems.length > 0) {
    console.error(`docs: ${problems.length} problems in ${pages} pages`);
    process.exit(1);
  }
  console.log(`docs: ${pages} pages, links and anchors resolve`);
}
