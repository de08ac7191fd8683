// In workerd: the truncate fault cuts the real body part-way and the body stream errors.
import { describe, expect, it } from 'vitest'
import { createEmulator } from '../src/index.js'

describe('truncate fault in workerd', () => {
  it('delivers part of the real body, then reading fails', async () => {
    const emulator = createEmulator({ accounts: 'shared' })
    const auth = { headers: { Authorization: 'Bearer sk_test_1' } }
    const url = 'http://emulator.local/v1/treasury/financial_accounts'
    const full = await (await emulator.fetch(url, auth)).text()
    emulator.control.injectFaults({ count: 1, fault: { truncate: true } })
    const response = await emulator.fetch(url, auth)
    expect(response.status).toBe(200)
    const reader = (response.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    const part = new TextDecoder().decode(first.value)
    expect(part.length).toBeGreaterThan(0)
    expect(full.startsWith(part) && part.length < full.length).toBe(true)
    await expect(reader.read()).rejects.toThrow(/terminated/)
  })
})
