/**
 * Reading the loosely typed fields of an HGNC record for what the gene store keeps. Tabs become
 * spaces because the projection is stored tab-separated.
 */

/** A field's text, tabs replaced by spaces, or '' when it is absent or not a string. */
export function textField (value: unknown): string {
  return typeof value === 'string' ? value.replaceAll('\t', ' ') : ''
}

/** A field's string elements, or [] when it is not an array. */
export function stringList (value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}
