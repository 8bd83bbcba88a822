import type { HgncDoc } from '../hgnc/json-records.js'
import { INDEXED_FIELDS, type IndexedField } from '../keys.js'
import { chromosomeOf } from './current-version.js'
import { textField } from './doc-fields.js'
import { hashCommands, type CommandArgs } from './index-commands.js'

/** How a value is looked up: case-insensitively, surrounding spaces ignored. */
export function indexValue (value: string): string {
  return value.trim().toLowerCase()
}

/**
 * The value -> genes indexes of one version, built while a load reads its records: for each field
 * of `INDEXED_FIELDS`, lower-cased value -> the numeric ids of the genes having it, in source order.
 */
export class FieldIndexBuilder {
  private readonly indexes = new Map<string, Map<string, string>>(INDEXED_FIELDS.map((field) => [field, new Map()]))
  private readonly chromosomes = this.indexes.get('chromosome') as Map<string, string>

  /**
   * Indexes one gene's values of every indexed field: strings and numbers, single or in a list. Walks
   * the record's own fields (a few dozen) rather than every indexed field, the hot loop of a load.
   */
  add (id: number, doc: HgncDoc): void {
    const idText = String(id)
    for (const field in doc) {
      const index = this.indexes.get(field)
      if (index === undefined || field === 'chromosome') continue
      const value = doc[field]
      if (!Array.isArray(value)) {
        addValue(index, value, idText)
        // A withdrawn entry's symbol may carry HGNC's `~withdrawn` suffix; it is found without it too.
        if (field === 'symbol' && typeof value === 'string' && value.endsWith('~withdrawn')) addValue(index, value.slice(0, -'~withdrawn'.length), idText)
      } else if (value.length === 1) {
        addValue(index, value[0], idText)
      } else {
        // A gene is listed once per value, however often its list repeats the value.
        const seen = new Set<string>()
        for (const item of value) {
          if (typeof item !== 'string' && typeof item !== 'number') continue
          const text = indexValue(String(item))
          if (seen.has(text)) continue
          seen.add(text)
          addValue(index, text, idText)
        }
      }
    }
    const chromosome = chromosomeOf(textField(doc['location']))
    if (chromosome !== null) addValue(this.chromosomes, chromosome, idText)
  }

  /** Every indexed field. */
  fields (): IndexedField[] {
    return [...this.indexes.keys()] as IndexedField[]
  }

  /** The commands writing one field's index to the hash `key` (none when no gene has the field). */
  commandsOf (field: IndexedField, key: string): CommandArgs[] {
    return hashCommands(key, this.indexes.get(field) ?? [])
  }
}

/** Appends a gene to the genes of one value (a string or number; anything else is not indexed). */
function addValue (index: Map<string, string>, value: unknown, idText: string): void {
  if (typeof value !== 'string' && typeof value !== 'number') return
  const text = indexValue(String(value))
  if (text === '') return
  const ids = index.get(text)
  index.set(text, ids === undefined ? idText : `${ids},${idText}`)
}
