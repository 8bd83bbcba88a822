/** Result forms at least this long are kept as Buffers (node-redis sends those without copying them). */
export const BUFFER_FORMS_FROM = 64 * 1024

/** A large result form as a UTF-8 Buffer; a small one as it is. */
export function compact (form: string): string | Buffer {
  return form.length >= BUFFER_FORMS_FROM ? Buffer.from(form) : form
}
