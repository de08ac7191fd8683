#!/usr/bin/env node
/// <reference types="node" />
// The `edgestripe-emulator` command (see cli.ts; `--help` for the flags).
import { runEmulatorCli } from './cli.js'

await runEmulatorCli(process.argv.slice(2))
