#!/usr/bin/env node
'use strict';
// npm run validate -- <dir|file>... [--existing [group/]Kind/namespace/name ...]
// The same as `maas-egress validate` (lib/validation/validate-command.ts).
const { main } = require('../build/lib/trace/cli');

main(['validate', ...process.argv.slice(2)]);
