import * as pkg from '@edgestripe/reporting'
import { operationSuite } from '../../../test-support/operation-suite'
import * as functions from '../src/generated/functions'

operationSuite({ domain: 'reporting', entry: 'index', operations: pkg.operations, module: pkg, functions, plugin: pkg.reportingPlugin })
