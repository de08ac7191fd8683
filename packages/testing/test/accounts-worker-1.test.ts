// One of four files vitest runs in parallel against one server (see accounts-workers/worker.ts).
import { it } from 'vitest'
import { workerSeesOnlyItsOwn } from './accounts-workers/worker.js'

it('worker 1: its key sees only its own objects, requests and events on the shared server', () => workerSeesOnlyItsOwn(1))
