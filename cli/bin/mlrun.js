#!/usr/bin/env node
// The `mlrun` executable: hands argv and the environment to the compiled CLI (build first: `npm run build`).
import { main } from '../dist/main.js';

process.exit(await main(process.argv.slice(2), process.env));
