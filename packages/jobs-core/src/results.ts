import { RESP_TYPES } from 'redis'
import { Command } from './commands/index.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'
import { checkJobId } from './queue.js'

const addResultForms = new Command('add-result-forms-1')

/** The forms a result is stored in: its JSON, and the chart and table downloads drawn from it on request. */
const RESULT_FORMS = ['json', 'svg', 'png', 'csv', 'tsv'] as const
/** One of `RESULT_FORMS`. */
export type ResultForm = typeof RESULT_FORMS[number]

/** Tells a result hash's form fields from the job-record fields beside them. */
function isResultForm (field: string): field is ResultForm {
  return (RESULT_FORMS as readonly string[]).includes(field)
}

/**
 * Finished jobs' results in the results store: a hash per job, one field per form, beside the
 * fields of the job's record (a completion moves the record there, so a finished job is one key),
 * expiring with the job. The worker stores `json`; the other forms are added when first drawn.
 */
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
    return (await this.client.hKeys(this.keys.results.result(checkJobId(id)))).filter(isResultForm)
  }

  /**
   * Keeps forms drawn from a result beside it, for as long as the result lives (its TTL is not
   * changed). Returns false, storing nothing, when the result has expired meanwhile.
   */
  async addForms (id: string, forms: Partial<Record<Exclude<ResultForm, 'json'>, string | Buffer>>): Promise<boolean> {
    const args = Object.entries(forms).flatMap(([form, value]) => [form, value])
    if (args.length === 0) return true
    return await addResultForms.run(this.client, [this.keys.results.result(checkJobId(id))], args) === 1
  }
}
