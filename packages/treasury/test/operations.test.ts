import * as pkg from '@edgestripe/treasury'
import * as testHelpers from '@edgestripe/treasury/test-helpers'
import { operationSuite } from '../../../test-support/operation-suite'
import * as functions from '../src/generated/functions'
import * as testHelperFunctions from '../src/generated/test-helpers-functions'

operationSuite({ domain: 'treasury', entry: 'index', operations: pkg.operations, module: pkg, functions, plugin: pkg.treasuryPlugin })
operationSuite({
  domain: 'treasury',
  entry: 'test-helpers',
  operations: testHelpers.operations,
  module: testHelpers,
  functions: testHelperFunctions,
  plugin: testHelpers.treasuryTestHelpersPlugin,
})
