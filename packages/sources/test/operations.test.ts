import * as pkg from '@edgestripe/sources'
import { operationSuite } from '../../../test-support/operation-suite'
import * as functions from '../src/generated/functions'

operationSuite({ domain: 'sources', entry: 'index', operations: pkg.operations, module: pkg, functions, plugin: pkg.sourcesPlugin })
