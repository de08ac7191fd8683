// The Worker under test in the `workerd` vitest project (`SELF`): it serves the smoke handler, so a
// client whose `fetch` is `SELF.fetch` goes through a real workerd service-binding round trip.
import { smokeHandler } from '../../test-support/smoke-handler'

export { StoreContractObject } from './store-contract-object'

export default {
  fetch: (request: Request) => smokeHandler(request),
}
