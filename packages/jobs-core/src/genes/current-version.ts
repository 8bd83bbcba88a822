import { Command } from '../commands/index.js'
import { GenejobsError } from '../errors.js'
import type { IndexedField, Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'

const readCurrentFieldsCommand = new Command('read-current-fields-1')

/** The id of the gene data version readers use now, or null when nothing is loaded. */
export async function currentVersion (client: RedisClient, keys: Keys['genes']): Promise<string | null> {
  return await client.get(keys.current)
}

/** The id of the current gene data version; throws `NO_DATA` when nothing is loaded. */
export async function requireVersion (client: RedisClient, keys: Keys['genes']): Promise<string> {
  const version = await currentVersion(client, keys)
  if (version === null) throw noData()
  return version
}

/**
 * Reads `fields` of the current version's records or symbols hash, or one field index, in one round
 * trip that sees one version (a load swapping versions meanwhile cannot split it). Throws `NO_DATA`
 * when nothing is loaded; a missing field reads as null.
 */
export async function readCurrentFields (client: RedisClient, keys: Keys['genes'], part: 'records' | 'symbols' | { index: IndexedField }, fields: string[]): Promise<Array<string | null>> {
  const suffix = typeof part === 'string' ? keys.versionSuffix[part] : keys.fieldIndex('', part.index).slice(keys.versionPrefix.length)
  const reply = await readCurrentFieldsCommand.run(client, [keys.current], [keys.versionPrefix, suffix, ...fields])
  if (reply === null || reply === false) throw noData()
  return reply as Array<string | null>
}

/** The error for reading gene data when none is loaded. */
export function noData (): GenejobsError {
  return new GenejobsError('NO_DATA', 'no gene data is loaded: POST /data first')
}
