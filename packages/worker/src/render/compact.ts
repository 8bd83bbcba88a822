/** Result forms at least this long are kept as Buffers (node-redis sends those without copying them). */
export const BUFFER_FORMS_FROM = 64 * 1024

/** A large result form as a UTF-8 Buffer; a small one as it is. */
export function compact (form: string): string | Buffer {
  return form.length >= BUFFER_FORMS_FROM ? Buffer.from(form) : form
}

/**
 * Large result forms as Buffers (the default renderer makes them so already): node-redis writes a
 * Buffer argument as it is, but joins string arguments into one command string first, which for a
 * 200,000-row result (about 65 MB of JSON, CSV and TSV) is another copy of everything, then a third
 * as the socket encodes it.
 */
export function compactForms (forms: Record<string, string | Buffer>): Record<string, string | Buffer> {
  return Object.fromEntries(Object.entries(forms).map(([name, form]) => [name, typeof form === 'string' ? compact(form) : form]))
}
