import type { HgncDoc } from '../hgnc/json-records.js'
import { FieldIndexBuilder } from './field-index.js'
import type { CommandArgs } from './index-commands.js'
import { SearchIndexBuilder } from './search-index.js'
import { SymbolIndexBuilder } from './symbol-index-builder.js'

/** The keys a version's symbol, search and field indexes go to (plain names: they cross threads). */
export interface IndexKeys {
  symbols: string
  prefixes: string
  words: string
  /** Indexed field -> the key of its index. */
  fields: Record<string, string>
}

/** The symbol, search and field indexes of one version, built record by record. */
export class VersionIndexes {
  private readonly symbols = new SymbolIndexBuilder()
  private readonly fields = new FieldIndexBuilder()
  private readonly search = new SearchIndexBuilder()

  constructor (private readonly keys: IndexKeys) {}

  /** Indexes one gene. */
  add (id: number, doc: HgncDoc): void {
    this.symbols.add(id, doc)
    this.fields.add(id, doc)
    this.search.add(id, doc)
  }

  /** The commands that write every index, built index by index as they are taken. */
  * commands (): Generator<CommandArgs> {
    yield * this.symbols.commands(this.keys.symbols)
    yield * this.search.commands(this.keys.prefixes, this.keys.words)
    for (const field of this.fields.fields()) yield * this.fields.commandsOf(field, this.keys.fields[field] as string)
  }
}
