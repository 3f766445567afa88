import * as path from 'path';
import { REPO_DIR } from '../helpers';

// The docs checker (scripts/check-docs.js, part of npm run docs:check) on pages
// with the mistakes it exists to catch, and on the repository's own pages.
const { headingId, pageProblems, docsProblems, README_MAX_LINES } = require(path.join(REPO_DIR, 'scripts', 'check-docs.js'));

const pages: Record<string, string> = {
  'docs/guide.md': '# Guide\n\n## `cdk8s synth` and CI in your repository\n\n## Refused on `odh-2.0`, with the reason\n\n## Step\n\n## Step\n',
  'docs/API.md': '# API\n',
};
const read = (file: string) => pages[file];
const problemsOf = (file: string, text: string) => pageProblems(REPO_DIR, file, text, read) as string[];

test('heading ids follow GitHub: code marks and punctuation dropped, spaces to hyphens', () => {
  expect(headingId('`cdk8s synth` and CI in your repository')).toBe('cdk8s-synth-and-ci-in-your-repository');
  expect(headingId('Refused on `odh-2.0`, with the reason')).toBe('refused-on-odh-20-with-the-reason');
  expect(headingId("Checked by the consumers' own code: `npm run verify`")).toBe('checked-by-the-consumers-own-code-npm-run-verify');
});

test('links to existing pages and headings pass, repeated headings numbered', () => {
  const text = '[a](guide.md#cdk8s-synth-and-ci-in-your-repository) [b](#step-1) [c](API.md) [d](https://example.com/x#y)\n';
  expect(problemsOf('docs/other.md', text.replace('#step-1', 'guide.md#step-1'))).toEqual([]);
});

test('a missing page, a missing anchor and a link out of the repository are problems', () => {
  expect(problemsOf('docs/other.md', 'see [x](nope.md) and [y](guide.md#no-such-heading) and [z](../../shared/x.md)\n')).toEqual([
    'docs/other.md:1: link nope.md: docs/nope.md does not exist',
    'docs/other.md:1: link guide.md#no-such-heading: docs/guide.md has no heading with id "no-such-heading"',
    'docs/other.md:1: link ../../shared/x.md leaves the repository; link to a file of it or to an https: URL',
  ]);
});

test('links inside code are not links', () => {
  expect(problemsOf('docs/other.md', '```\n[x](nope.md)\n```\n`[y](nope.md)`\n')).toEqual([]);
});

test('words a reader cannot look up are problems, in code too', () => {
  expect(problemsOf('docs/other.md', 'as the seed did\n```\n# the notes of this change\n```\n')).toEqual([
    'docs/other.md:1: "the seed" means nothing to a reader; say "the proof of concept" (nerdalert/egress-ai-gateway-poc)',
    'docs/other.md:3: "notes of this change" means nothing to a reader; name the upstream file, or the guide that explains it',
  ]);
});

test('a long README is a problem', () => {
  const long = 'line\n'.repeat(README_MAX_LINES + 1);
  expect(problemsOf('README.md', long)).toEqual([`README.md: ${README_MAX_LINES + 1} lines; keep it at most ${README_MAX_LINES} and move details into a guide under docs/`]);
  expect(problemsOf('README.md', 'line\n'.repeat(README_MAX_LINES))).toEqual([]);
});

test("the repository's README, CHANGELOG and guides have no problems", () => {
  expect(docsProblems(REPO_DIR)).toEqual([]);
});
