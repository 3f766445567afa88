'use strict';
// Every file of ../shared (SHARED_DIR) that the build and the tests read, with
// the pinned upstream URL it comes from. `npm run fetch-shared` downloads them
// and checks each against scripts/shared-sha256.txt; the test suites that need
// them are skipped (with one notice) when they are missing.
const { GROUPS } = require('./crd-sources');

const RAW = 'https://raw.githubusercontent.com';
// The proof of concept's repository at the commit its manifests were copied from.
const POC = `${RAW}/nerdalert/egress-ai-gateway-poc/0cdd9594bf7d5c8f6545432f924f360efbbd3cb9`;
// The MaaS repository at a commit whose simulator sample is the copy in reference/maas-samples.
const MAAS = `${RAW}/opendatahub-io/models-as-a-service/b75ee729dcb817edf9398db84c0e6d54877f53ba`;

/**
 * @typedef {object} SharedFile
 * @property {string} path  path below SHARED_DIR
 * @property {string} url   where upstream publishes it
 * @property {string} [document] when set, `url` holds several YAML documents and
 *   the file is the one whose metadata.name is this, written as `---\n<document>`
 */

/** @type {SharedFile[]} */
const CRD_FILES = GROUPS.flatMap((group) => group.files.map((file) => (group.folder === 'istio'
  // upstream ships one generated file; the local copies are its documents, one per CRD
  ? { path: `crds/${group.folder}/${file}`, url: group.base, document: file.replace(/\.yaml$/, '') }
  : { path: `crds/${group.folder}/${file}`, url: `${group.base}/${file}` })));

const poc = (folder, upstreamDir, files) => files.map((file) => ({ path: `reference/poc/${folder}/${file}`, url: `${POC}/${upstreamDir}/${file}` }));

/** @type {SharedFile[]} */
const REFERENCE_FILES = [
  { path: 'reference/poc/common/controller.yaml', url: `${POC}/manifests/openshift/controller.yaml` },
  { path: 'reference/poc/common/gateway.yaml', url: `${POC}/manifests/common/gateway.yaml` },
  ...poc('mixed-providers', 'demos/mixed-providers/manifests', [
    'anthropic-simulator.yaml', 'backends.yaml', 'bridge.yaml', 'external-model-registry.yaml', 'openai-simulator.yaml', 'routes.yaml',
  ]),
  ...poc('unified-path', 'demos/mixed-providers-unified-path/manifests', [
    'anthropic-simulator.yaml', 'backends.yaml', 'bridge.yaml', 'external-model-registry.yaml',
    'gateway-rate-limits.yaml', 'lua-key-injector.yaml', 'openai-simulator.yaml', 'routes.yaml',
  ]),
  { path: 'reference/maas-samples/simulator-model.yaml', url: `${MAAS}/docs/samples/models/simulator/model.yaml` },
];

/** @type {SharedFile[]} */
const SHARED_FILES = [...CRD_FILES, ...REFERENCE_FILES];

module.exports = { SHARED_FILES, CRD_FILES, REFERENCE_FILES };
