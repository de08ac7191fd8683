import * as pkg from '@edgestripe/sigma'
import { operationSuite } from '../../../test-support/operation-suite'
import * as functions from '../src/generated/functions'

operationSuite({ domain: 'sigma', entry: 'index', operations: pkg.operations, module: pkg, functions, plugin: pkg.sigmaPlugin })
