import { createTestRunCounter, JobQueue, readHgncSource, GeneStore, type JobRequest } from '@genejobs/jobs-core'
import { fixturePath, startTestRedis, type TestRedis } from '@genejobs/test-support'
import pino from 'pino'
import { createAnalysisRegistry } from '../../src/analyses/index.js'
import { Worker, type WorkerOptions } from '../../src/worker.js'

/** The harness's job policy: short stall detection, three attempts. */
export const TEST_POLICY = { maxAttempts: 3, stalledAfterMs: 1000, ttlMs: 60_000, retryBackoffMs: 0, retryBackoffMaxMs: 0 }

/** A redis-server with the fixture loaded, a JobQueue, and a way to start in-process workers. */
export interface WorkerHarness {
  redis: TestRedis
  /** The gene store the fixture was loaded into. */
  genes: GeneStore
  jobs: JobQueue
  /** Creates a job, bypassing the API (so test-only analyses can be queued). */
  submit: (request: Record<string, unknown>) => Promise<string>
  startWorker: (options?: Partial<WorkerOptions>) => Promise<Worker>
}

/** Starts the harness and registers its teardown on `t`. */
export async function startHarness (t: { teardown: (fn: () => Promise<void>) => void }): Promise<WorkerHarness> {
  const redis = await startTestRedis()
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  await genes.load(readHgncSource(fixturePath('genes.json')), 'fixture')
  const jobs = new JobQueue({ stores: redis.stores, keys: redis.keys, policy: TEST_POLICY })
  const workers: Worker[] = []
  t.teardown(async () => {
    await Promise.all(workers.map(async (worker) => { await worker.close() }))
    await redis.close()
  })
  return {
    redis,
    genes,
    jobs,
    submit: async (request) => (await jobs.create(request as unknown as JobRequest)).id,
    startWorker: async (options = {}) => {
      const worker = new Worker({
        stores: redis.stores,
        keys: redis.keys,
        logger: pino({ level: 'silent' }),
        analyses: createAnalysisRegistry({ testAnalyses: true }),
        countRun: createTestRunCounter(redis.stores, redis.keys),
        concurrency: 1,
        policy: TEST_POLICY,
        shutdownTimeoutMs: 10_000,
        blockSeconds: 0.2,
        ...options
      })
      await worker.start()
      workers.push(worker)
      return worker
    }
  }
}
