import { GenejobsError } from '../errors.js'
import type { HgncFormat } from '../hgnc/hgnc-reader.js'
import { parseRecord, type HgncDoc } from '../hgnc/json-records.js'
import { parseTsvHeader, parseTsvRow } from '../hgnc/tsv-records.js'
import { projectionMember } from './projection.js'
import type { CommandArgs } from './index-commands.js'
import { VersionIndexes, type IndexKeys } from './version-indexes.js'

/** A batch of a source as the loader reads it: a JSON source's record texts, or a TSV source's lines (its header row first). */
export interface SourceBatch {
  format: HgncFormat
  items: string[]
}

/**
 * What a batch gives back, record by record in source order: the numeric id, the projection
 * member and, for a TSV source, the record's JSON text (a JSON source's texts are its items).
 */
export interface IndexedBatch {
  ids: number[]
  members: string[]
  raws?: string[]
}

/**
 * Parses a load's batches, checks every record (valid JSON, `hgnc_id`, `symbol`, no id twice) and
 * builds the version's indexes from them: the part of a load that needs the parsed records, so
 * that it can run on a second core while the load's own thread encodes and writes the records.
 * Errors are `GenejobsError`s saying which record or line is wrong.
 */
export class BatchIndexer {
  private readonly indexes: VersionIndexes
  private readonly seen = new Set<number>()
  private records = 0
  private lines = 0
  private header: string[] | undefined

  constructor (keys: IndexKeys) {
    this.indexes = new VersionIndexes(keys)
  }

  /** Parses, checks and indexes one batch. */
  add ({ format, items }: SourceBatch): IndexedBatch {
    const indexed: IndexedBatch = { ids: [], members: [] }
    if (format === 'json') {
      for (const raw of items) this.accept(parseRecord(raw, `record ${this.records + 1}`), indexed)
      return indexed
    }
    const raws: string[] = []
    for (const line of items) {
      this.lines++
      if (this.header === undefined) {
        this.header = parseTsvHeader(line)
        continue
      }
      if (line === '') continue
      const doc = parseTsvRow(this.header, line, this.lines)
      this.accept(doc, indexed)
      raws.push(JSON.stringify(doc))
    }
    return { ...indexed, raws }
  }

  /** The commands that write every index, once every batch has been added. */
  commands (): Iterable<CommandArgs> {
    return this.indexes.commands()
  }

  private accept (doc: HgncDoc, indexed: IndexedBatch): void {
    this.records++
    // `parseRecord` and `parseTsvRow` have checked the form HGNC:<1 to 9 digits>.
    const id = Number(doc.hgnc_id.slice(5))
    if (this.seen.has(id)) throw new GenejobsError('SOURCE_MALFORMED', `record ${this.records}: duplicate hgnc_id ${doc.hgnc_id}`)
    this.seen.add(id)
    this.indexes.add(id, doc)
    indexed.ids.push(id)
    indexed.members.push(projectionMember(id, doc))
  }
}
