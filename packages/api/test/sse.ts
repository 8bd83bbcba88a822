import { get, type IncomingHttpHeaders } from 'node:http'
import type { FastifyInstance } from 'fastify'

/** One Server-Sent Events message as a client sees it. */
export interface SseMessage {
  event: string
  id?: string
  data: Record<string, unknown>
}

/** An open event stream read with fetch: its messages one at a time, and whether the server ended it. */
export interface SseStream {
  status: number
  headers: IncomingHttpHeaders
  /** The next message; rejects after `timeoutMs`, or when the stream ended first. */
  next: (timeoutMs?: number) => Promise<SseMessage>
  /** Resolves when the server has ended the stream (all messages read or not). */
  ended: Promise<void>
  /** Messages received and not yet taken by `next`. */
  pending: () => SseMessage[]
  /** Drops the connection (a client going away). */
  cancel: () => Promise<void>
}

/** Parses the messages in `text` (complete ones only); returns them and the unparsed rest. Comments and `retry:` are skipped. */
function parse (text: string): { messages: SseMessage[], rest: string } {
  const blocks = text.split('\n\n')
  const rest = blocks.pop() ?? ''
  const messages: SseMessage[] = []
  for (const block of blocks) {
    const fields: Record<string, string> = {}
    for (const line of block.split('\n')) {
      const match = /^([a-z]+): ?(.*)$/.exec(line)
      if (match !== null) fields[match[1] as string] = match[2] as string
    }
    if (fields['data'] === undefined) continue
    messages.push({ event: fields['event'] ?? 'message', ...(fields['id'] !== undefined ? { id: fields['id'] } : {}), data: JSON.parse(fields['data']) as Record<string, unknown> })
  }
  return { messages, rest }
}

/**
 * Opens `path` on a listening app over a real HTTP connection of its own (no keep-alive pool, so a
 * cancelled stream leaves no socket behind) and reads it as an event stream.
 */
export async function openSse (app: FastifyInstance, path: string): Promise<SseStream> {
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('the app is not listening on a TCP port')
  const res = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    get({ host: '127.0.0.1', port: address.port, path, agent: false, headers: { accept: 'text/event-stream' } }, resolve).on('error', reject)
  })
  const queue: SseMessage[] = []
  let wake: (() => void) | undefined
  let done = false
  let cancelled = false
  res.setEncoding('utf8')
  const ended = (async () => {
    let buffer = ''
    try {
      for await (const chunk of res) {
        const parsed = parse(buffer + (chunk as string))
        buffer = parsed.rest
        queue.push(...parsed.messages)
        wake?.()
      }
    } catch (err) {
      if (!cancelled) throw err
    } finally {
      done = true
      wake?.()
    }
  })()
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    ended,
    pending: () => [...queue],
    next: async (timeoutMs = 5000) => {
      const deadline = Date.now() + timeoutMs
      while (queue.length === 0) {
        if (done) throw new Error(`the stream ${path} ended without another message`)
        const left = deadline - Date.now()
        if (left <= 0) throw new Error(`no message on ${path} within ${timeoutMs} ms`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => { clearTimeout(timer); resolve() }
        })
        wake = undefined
      }
      return queue.shift() as SseMessage
    },
    cancel: async () => {
      cancelled = true
      res.destroy()
      await ended.catch(() => {})
    }
  }
}
