#!/usr/bin/env node
'use strict';
// maas-egress validate|trace|diff: see `maas-egress --help` and the README section
// "Trace a request and diff two outputs". The code is compiled from lib/trace/.
require('../build/lib/cli/cli').main(process.argv.slice(2));
