import { Command } from './commands/index.js'
import type { Keys } from './keys.js'
import type { RedisClient } from './redis.js'

const readJobFieldsCommand = new Command('read-job-fields-2')

/**
 * Fields of one job, read where the job is: its record while it waits, runs or has failed, its
 * result hash once complete (a completion moves the record there: one key per finished job). One
 * atomic read; every value is null when there is no such job (never created, or expired).
 */
export async function readJobFields (client: RedisClient, keys: Keys, id: string, fields: readonly string[]): Promise<Array<string | null>> {
  const values = await readJobFieldsCommand.run(client, [keys.jobs.record(id), keys.results.result(id)], [...fields]) as Array<string | null>
  return values.map((value) => value ?? null)
}
