#!/usr/bin/env node
'use strict';
// npm run validate -- <dir|file>... [--existing [group/]Kind/namespace/name ...]
// The same as `maas-egress validate` (lib/cli/validate-command.ts).
const { main } = require('../build/lib/cli/cli');

main(['validate', ...process.argv.slice(2)]);
