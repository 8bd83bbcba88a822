import { GenejobsError } from '../errors.js'
import type { Keys } from '../keys.js'
import type { RedisClient } from '../redis.js'
import { RecordDecoder } from './record-codec.js'

/** Versions whose decoder is kept: the current one, and those a pinned stream or page still reads. */
const KEPT_VERSIONS = 4

/** The error for a read whose version vanished under it. */
export function versionGone (): GenejobsError {
  return new GenejobsError('NO_DATA', 'the gene data was deleted or replaced while it was being read')
}

/**
 * Turns stored records back into their JSON exactly as sourced. Each version's codebook is read
 * once (one GET) and kept in memory: it never changes while the version lives.
 */
export class RecordReader {
  private readonly decoders = new Map<string, Promise<RecordDecoder>>()
  /** The decoder read last, for reads that need no promise (a cached `GET /genes/:id`). */
  private last: { version: string, decoder: RecordDecoder } | undefined

  constructor (
    private readonly client: RedisClient,
    private readonly keys: Keys['genes']
  ) {}

  /** The decoder of `version` if it was read last, else undefined (then `decoder` reads it). */
  ready (version: string): RecordDecoder | undefined {
    return this.last?.version === version ? this.last.decoder : undefined
  }

  /** The decoder of `version`; throws `NO_DATA` when the version is gone. */
  async decoder (version: string): Promise<RecordDecoder> {
    const ready = this.ready(version)
    if (ready !== undefined) return ready
    let decoder = this.decoders.get(version)
    if (decoder === undefined) {
      decoder = this.readDecoder(version)
      this.decoders.set(version, decoder)
      decoder.catch(() => { this.decoders.delete(version) })
      if (this.decoders.size > KEPT_VERSIONS) this.decoders.delete(this.decoders.keys().next().value as string)
    }
    const read = await decoder
    this.last = { version, decoder: read }
    return read
  }

  /** The records of `version` as sourced, in the order given; a missing record stays null. */
  async decode (version: string, stored: Array<string | null | undefined>): Promise<Array<string | null>> {
    if (stored.every((record) => record === null || record === undefined)) return stored.map(() => null)
    const decoder = await this.decoder(version)
    return stored.map((record) => record === null || record === undefined ? null : decoder.decode(record))
  }

  /** `decode` for reads that must find every record: throws `NO_DATA` when one is missing. */
  async decodeAll (version: string, stored: Array<string | null | undefined>): Promise<string[]> {
    const records = await this.decode(version, stored)
    if (records.some((record) => record === null)) throw versionGone()
    return records as string[]
  }

  private async readDecoder (version: string): Promise<RecordDecoder> {
    const codebook = await this.client.get(this.keys.codebook(version))
    if (codebook === null) throw versionGone()
    return new RecordDecoder(JSON.parse(codebook) as string[])
  }
}
