import { GenejobsError } from '../errors.js'

/** The pattern a gene id given by a user may have: `HGNC:5`, `hgnc:5` or `5`. */
export const HGNC_ID_INPUT_PATTERN = '^([Hh][Gg][Nn][Cc]:)?[1-9][0-9]{0,8}$'
const HGNC_ID_INPUT = new RegExp(HGNC_ID_INPUT_PATTERN)

/**
 * Turns `HGNC:5`, `hgnc:5` or `5` into the number 5. Throws `INVALID_ID` for anything else
 * (zero, leading zeros, other prefixes, more than nine digits).
 */
export function parseHgncId (input: string): number {
  if (!HGNC_ID_INPUT.test(input)) {
    throw new GenejobsError('INVALID_ID', `"${truncate(input)}" is not an HGNC id: expected HGNC:<number> or <number>, e.g. HGNC:5`)
  }
  return Number(input.slice(input.indexOf(':') + 1))
}

/** Formats a numeric HGNC id the way HGNC writes it: `HGNC:5`. */
export function formatHgncId (id: number): string {
  return `HGNC:${id}`
}

function truncate (text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text
}
