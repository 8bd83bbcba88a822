import type { HgncDoc } from '../hgnc/json-records.js'
import { stringList, textField } from './doc-fields.js'
import { hashCommands, sortedSetCommands, type CommandArgs } from './index-commands.js'

// eslint-disable-next-line no-control-regex -- ASCII is tested for by its range
const ASCII = /^[\x00-\x7f]*$/

/** The words of a name, lower-cased, for the name-word index and for queries. */
export function wordsOf (text: string): string[] {
  // Letters and digits of ASCII text are [a-z0-9] once lower-cased: a far cheaper split than by Unicode classes.
  const words = ASCII.test(text) ? text.toLowerCase().split(/[^a-z0-9]+/) : text.toLowerCase().split(/[^\p{L}\p{N}]+/u)
  return words.filter((word) => word !== '')
}

/** The names of a gene that name search looks at: its name, previous names and alias names. */
export function namesOf (doc: Record<string, unknown>): string[] {
  return [textField(doc['name']), ...stringList(doc['prev_name']), ...stringList(doc['alias_name'])].filter((name) => name !== '')
}

/**
 * The search indexes of one version, built while a load reads its records: every symbol (approved,
 * previous, alias, withdrawn) in a sorted set for prefix search, and every word of a gene's names
 * -> the genes, for name search.
 */
export class SearchIndexBuilder {
  private readonly prefixes: string[] = []
  private readonly words = new Map<string, string>()

  /**
   * Indexes one gene's symbols and name words. A prefix member's middle digit is how the symbol names
   * the gene, best first: 0 approved, 1 previous, 2 alias, 3 withdrawn.
   */
  add (id: number, doc: HgncDoc): void {
    const withdrawn = doc['status'] === 'Entry Withdrawn'
    this.prefixes.push(`${doc.symbol.replace(/~withdrawn$/, '').toLowerCase()}\t${withdrawn ? 3 : 0}\t${id}`)
    for (const previous of stringList(doc['prev_symbol'])) this.prefixes.push(`${previous.toLowerCase()}\t1\t${id}`)
    for (const alias of stringList(doc['alias_symbol'])) this.prefixes.push(`${alias.toLowerCase()}\t2\t${id}`)
    const idText = String(id)
    const seen = new Set<string>()
    for (const name of namesOf(doc)) {
      for (const word of wordsOf(name)) {
        if (seen.has(word)) continue
        seen.add(word)
        const ids = this.words.get(word)
        this.words.set(word, ids === undefined ? idText : `${ids},${idText}`)
      }
    }
  }

  /** The commands writing both indexes: the prefixes to the sorted set `prefixesKey`, the words to the hash `wordsKey`. */
  commands (prefixesKey: string, wordsKey: string): CommandArgs[] {
    return [...sortedSetCommands(prefixesKey, this.prefixes), ...hashCommands(wordsKey, this.words)]
  }
}
