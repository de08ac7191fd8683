// A Durable Object on SQLite storage (binding `STORE_CONTRACT`) whose only use is its storage: the
// store and domain contract suites run inside it through `runInDurableObject`
// (packages/testing/test/store-durable-object.workerd.test.ts).
export class StoreContractObject {
  fetch(): Response {
    return new Response(null, { status: 204 })
  }
}
