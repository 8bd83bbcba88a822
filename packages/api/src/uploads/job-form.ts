import type { FastifyRequest } from 'fastify'
import type { Multipart } from '@fastify/multipart'
import type { Analysis } from '@genejobs/analyses'
import { BadRequestError, UploadTooLargeError } from '../http-errors.js'
import { checkDeclaredType, fileTooLarge, readIdentifiers, type IdentifierFile, type UploadLimits } from './read-identifiers.js'

/** Form fields every upload may send besides its analysis's own (`UploadDeclaration.fields`). */
const COMMON_FIELDS = ['analysis', 'column', 'header'] as const
/** The most bytes of one form field's value. */
const MAX_FIELD_BYTES = 1024

/** An upload turned into a job request, with the summary the job shows instead of the identifiers. */
export interface JobForm {
  /** The request, as a JSON body would carry it; checked by the same validator. */
  request: Record<string, unknown>
  /** The job's shown `params`: the copied form fields and `upload` (file name, bytes, identifier count, column...). */
  shown: Record<string, unknown>
}

/** Where a form field may be refused, named as a JSON body's field would be. */
const field = (name: string) => `body/${name}`

function parseHeaderField (value: string): boolean {
  const v = value.trim().toLowerCase()
  if (['true', 'yes', '1'].includes(v)) return true
  if (['false', 'no', '0'].includes(v)) return false
  throw new BadRequestError(`${field('header')} must be true or false (whether the file's first row is a header)`)
}

/** Multipart's own limit errors, with messages that say which limit. */
function limitError (err: unknown, limits: UploadLimits): unknown {
  const code = (err as { code?: unknown }).code
  if (code === 'FST_REQ_FILE_TOO_LARGE') return fileTooLarge(limits.maxBytes)
  if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') return new UploadTooLargeError('the form has too many fields: send analysis, its fields, optionally column and header, and one file')
  if (code === 'FST_FILES_LIMIT') return new BadRequestError('the form has more than one file part: send one file')
  // busboy reports a body that is not multipart as it claims with a plain Error ("Unexpected end of
  // multipart data", "Multipart: Boundary not found", ...); anything else stays unexpected (500).
  if (err instanceof Error && err.constructor === Error && code === undefined) {
    return new BadRequestError(`the body is not valid multipart/form-data: ${err.message.slice(0, 160)}`)
  }
  return err
}

/**
 * Reads a `multipart/form-data` job submission as a stream: small fields first (`column` and
 * `header` must come before the file), then one file part named `file` read by `readIdentifiers`.
 * Only analyses that declare `upload` take one; the identifiers go to their `upload.list` parameter
 * and their `upload.fields` are copied. Throws a coded 400/413/415 error; nothing is stored here.
 */
export async function readJobForm (request: FastifyRequest, analyses: ReadonlyMap<string, Analysis>, limits: UploadLimits): Promise<JobForm> {
  const uploadable = [...analyses.values()].filter((analysis) => analysis.upload !== undefined)
  const allowed = new Set<string>([...COMMON_FIELDS, ...uploadable.flatMap((analysis) => analysis.upload?.fields ?? [])])
  const fields = new Map<string, string>()
  let file: (IdentifierFile & { name: string }) | undefined
  let parts: AsyncIterableIterator<Multipart>
  try {
    parts = request.parts({ limits: { fileSize: limits.maxBytes, files: 2, fields: allowed.size + 4, fieldSize: MAX_FIELD_BYTES, parts: allowed.size + 6 } })
    for await (const part of parts) {
      if (part.type === 'field') {
        if (!allowed.has(part.fieldname)) {
          throw new BadRequestError(`form field ${JSON.stringify(part.fieldname.slice(0, 64))} is not accepted: send ${[...allowed].join(', ')} and one file part named file`)
        }
        if (fields.has(part.fieldname)) throw new BadRequestError(`form field ${part.fieldname} is sent more than once`)
        if (file !== undefined && (part.fieldname === 'column' || part.fieldname === 'header')) {
          throw new BadRequestError(`form field ${part.fieldname} must come before the file part (it says how to read the file)`)
        }
        if (part.valueTruncated) throw new BadRequestError(`${field(part.fieldname)} is longer than ${MAX_FIELD_BYTES} bytes`)
        fields.set(part.fieldname, String(part.value))
        continue
      }
      if (file !== undefined) {
        part.file.resume()
        throw new BadRequestError('the form has more than one file part: send one file')
      }
      if (part.fieldname !== 'file') {
        part.file.resume()
        throw new BadRequestError(`the file part must be named file, not ${JSON.stringify(part.fieldname.slice(0, 64))}`)
      }
      checkDeclaredType(part.mimetype)
      const header = fields.get('header')
      const read = await readIdentifiers(part.file, {
        ...limits,
        ...(fields.has('column') ? { column: fields.get('column') as string } : {}),
        ...(header !== undefined ? { header: parseHeaderField(header) } : {}),
        headerHints: [...uploadable.map((analysis) => analysis.upload?.list ?? ''), ...fields.values()]
      })
      file = { ...read, name: part.filename }
    }
  } catch (err) {
    throw limitError(err, limits)
  }
  return buildRequest(fields, file, analyses, uploadable)
}

function buildRequest (fields: Map<string, string>, file: (IdentifierFile & { name: string }) | undefined, analyses: ReadonlyMap<string, Analysis>, uploadable: Analysis[]): JobForm {
  const names = uploadable.map((analysis) => JSON.stringify(analysis.name)).join(', ')
  const name = fields.get('analysis')
  if (name === undefined) throw new BadRequestError(`${field('analysis')} is required for an upload: one of ${names}`)
  const analysis = analyses.get(name)
  if (analysis === undefined) throw new BadRequestError(`${field('analysis')} must be one of: ${[...analyses.keys()].map((n) => JSON.stringify(n)).join(', ')}`)
  const upload = analysis.upload
  if (upload === undefined) throw new BadRequestError(`${field('analysis')} ${JSON.stringify(name)} does not take a file upload; the analyses that do: ${names}`)
  const own = new Set<string>([...COMMON_FIELDS, ...(upload.fields ?? [])])
  for (const sent of fields.keys()) {
    if (!own.has(sent)) throw new BadRequestError(`form field ${sent} is not a field of ${name} uploads: send ${[...own].join(', ')} and one file part named file`)
  }
  if (file === undefined) throw new BadRequestError('the form has no file part: send the identifiers as a file part named file')
  const copied = Object.fromEntries((upload.fields ?? []).filter((f) => fields.has(f)).map((f) => [f, fields.get(f)]))
  const { ids, name: fileName, ...read } = file
  return {
    request: { analysis: name, ...copied, [upload.list]: ids },
    shown: { ...copied, upload: { file: fileName, ...read, identifiers: ids.length, list: upload.list } }
  }
}
