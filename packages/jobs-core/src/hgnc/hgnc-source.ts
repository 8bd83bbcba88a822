import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable, pipeline } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { createGunzip } from 'node:zlib'
import { GenejobsError } from '../errors.js'

/** How long to wait for an HTTP source to start answering. */
const FETCH_TIMEOUT_MS = 30_000

/** Where an HGNC data set comes from: a local file or an http(s) URL. */
type SourceLocation = { kind: 'file', path: string } | { kind: 'url', url: string }

/** Interprets `HGNC_SOURCE`: an http(s) URL, a `file://` URL, or a file path. */
function parseSourceLocation (source: string): SourceLocation {
  if (/^https?:\/\//i.test(source)) return { kind: 'url', url: source }
  if (/^file:\/\//i.test(source)) return { kind: 'file', path: fileURLToPath(source) }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new GenejobsError('SOURCE_UNREACHABLE', `unsupported source "${source}": use an http(s) URL, a file:// URL or a file path`)
  }
  return { kind: 'file', path: source }
}

/**
 * Opens an HGNC source as a stream of bytes, undoing gzip compression when the content starts with
 * the gzip magic bytes (whatever the name says). `onRawBytes` sees every byte as read, before any
 * gunzip (for the provenance hash). Fails with `SOURCE_UNREACHABLE` when the file or URL cannot be
 * read.
 */
export async function openHgncSource (source: string, signal?: AbortSignal, onRawBytes?: (chunk: Buffer) => void): Promise<AsyncIterable<Buffer>> {
  const location = parseSourceLocation(source)
  const raw = location.kind === 'file' ? await openFile(location.path) : await openUrl(location.url, signal)
  return gunzipIfCompressed(raw, onRawBytes)
}

async function openFile (path: string): Promise<Readable> {
  try {
    const info = await stat(path)
    if (!info.isFile()) throw new Error('not a regular file')
  } catch (err) {
    throw new GenejobsError('SOURCE_UNREACHABLE', `cannot read HGNC source file ${path}: ${(err as Error).message}`, { cause: err })
  }
  return createReadStream(path, { highWaterMark: 256 * 1024 })
}

async function openUrl (url: string, signal?: AbortSignal): Promise<Readable> {
  let response: Response
  try {
    const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS)
    response = await fetch(url, { signal: signal !== undefined ? AbortSignal.any([signal, timeout]) : timeout, redirect: 'follow' })
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message
    throw new GenejobsError('SOURCE_UNREACHABLE', `cannot fetch HGNC source ${url}: ${cause}`, { cause: err })
  }
  if (!response.ok || response.body === null) {
    throw new GenejobsError('SOURCE_UNREACHABLE', `cannot fetch HGNC source ${url}: HTTP ${response.status} ${response.statusText}`)
  }
  return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>)
}

async function * gunzipIfCompressed (input: Readable, onRawBytes: (chunk: Buffer) => void = () => {}): AsyncGenerator<Buffer> {
  const iterator: AsyncIterator<Buffer> = input[Symbol.asyncIterator]()
  const first = await iterator.next()
  if (first.done === true) return
  const firstChunk = Buffer.from(first.value)
  const all = (async function * () {
    onRawBytes(firstChunk)
    yield firstChunk
    for (;;) {
      const next = await iterator.next()
      if (next.done === true) return
      const chunk = Buffer.from(next.value)
      onRawBytes(chunk)
      yield chunk
    }
  })()
  if (firstChunk[0] !== 0x1f || firstChunk[1] !== 0x8b) {
    yield * all
    return
  }
  // Large pieces: each one costs a step through the reader, the decoder and the splitter.
  const gunzip = createGunzip({ chunkSize: 256 * 1024 })
  pipeline(Readable.from(all), gunzip, () => {})
  try {
    for await (const chunk of gunzip) yield chunk as Buffer
  } catch (err) {
    if (err instanceof GenejobsError) throw err
    throw new GenejobsError('SOURCE_MALFORMED', `the source looks gzip-compressed but cannot be decompressed: ${(err as Error).message}`, { cause: err })
  } finally {
    input.destroy()
  }
}
