import { RESP_TYPES } from 'redis'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { checkJobId } from './queue.js'

/** The forms a result is stored in: its JSON, and the rendered chart and table downloads. */
export type ResultForm = 'json' | 'svg' | 'png' | 'csv' | 'tsv'

/** Finished jobs' results in the results store (a hash per job, one field per form). */
export class ResultStore {
  constructor (private readonly client: RedisClient, private readonly keys: Keys) {}

  /** One form of a job's result as text, or null when there is none. */
  async get (id: string, form: Exclude<ResultForm, 'png'> = 'json'): Promise<string | null> {
    return await this.client.hGet(this.keys.results.result(checkJobId(id)), form) ?? null
  }

  /** The rendered PNG chart of a job's result, or null when there is none. */
  async getPng (id: string): Promise<Buffer | null> {
    const reply = await this.client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }).hGet(this.keys.results.result(checkJobId(id)), 'png')
    return reply ?? null
  }

  /** Which forms a job's result has. */
  async forms (id: string): Promise<ResultForm[]> {
    return await this.client.hKeys(this.keys.results.result(checkJobId(id))) as ResultForm[]
  }
}
