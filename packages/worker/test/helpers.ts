import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { crc32, inflateSync } from 'node:zlib'
import { createLogger, GeneStore, readHgncSource } from '@genejobs/jobs-core'
import { startTestRedis, type TestRedis } from '@genejobs/test-support'
import type { AnalysisContext } from '../src/analyses/index.js'

/** The worker's own fixture: 22 hand-written genes covering every placement and match type. */
export const WORKER_FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'genes.json')

/** One gene of a fixture, as the file has it. */
export interface FixtureGene {
  hgnc_id: string
  symbol: string
  name: string
  locus_group: string
  locus_type: string
  status: string
  location?: string
  alias_symbol?: string[]
  prev_symbol?: string[]
  date_approved_reserved?: string
}

/** The genes of a fixture file, read directly (not through the store), for independent checks. */
export function fixtureGenes (path: string = WORKER_FIXTURE): FixtureGene[] {
  return (JSON.parse(readFileSync(path, 'utf8')) as { response: { docs: FixtureGene[] } }).response.docs
}

/** A redis-server with `path` loaded into a gene store; closed on teardown. */
export async function loadedGenes (t: { teardown: (fn: () => Promise<void>) => void }, path: string = WORKER_FIXTURE): Promise<{ redis: TestRedis, genes: GeneStore }> {
  const redis = await startTestRedis()
  t.teardown(redis.close)
  const genes = new GeneStore({ client: redis.stores.genes, keys: redis.keys })
  await genes.load(readHgncSource(path), path)
  return { redis, genes }
}

/** A context for running an analysis directly; `progress` records every report. */
export function recordingContext (genes: GeneStore): AnalysisContext & { reports: number[] } {
  const reports: number[] = []
  return {
    genes,
    log: createLogger('silent', 'test'),
    reports,
    progress: async (percent: number) => { reports.push(percent) }
  }
}

/** An element of a parsed XML document. */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** The element's own text (entities decoded), its children's not included. */
  text: string
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }

function decode (text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);|&/g, (whole, entity: string | undefined) => {
    if (entity === undefined) throw new Error('XML: a bare & in text')
    if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16))
    if (entity.startsWith('#')) return String.fromCodePoint(Number(entity.slice(1)))
    const value = ENTITIES[entity]
    if (value === undefined) throw new Error(`XML: unknown entity ${whole}`)
    return value
  })
}

const TOKEN = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<\/([A-Za-z_][\w:.-]*)\s*>|<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|[^<]+/gy
const ATTRIBUTE = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

/**
 * A small strict XML parser for the tests (the SVGs are checked as documents, not as strings):
 * elements, attributes, text, comments; throws on anything not well-formed (an unclosed or
 * mismatched tag, a stray `<`, a repeated attribute, an unknown entity, text outside the root).
 */
export function parseXml (xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' }
  const stack = [root]
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < xml.length) {
    const at = TOKEN.lastIndex
    const match = TOKEN.exec(xml)
    if (match === null) throw new Error(`XML: not well-formed at offset ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`)
    const [token, closing, opening, attributeText = '', selfClosing] = match
    const parent = stack[stack.length - 1] as XmlElement
    if (token.startsWith('<!--') || token.startsWith('<?')) continue
    if (closing !== undefined) {
      if (parent.name !== closing || stack.length === 1) throw new Error(`XML: </${closing}> closes <${parent.name}>`)
      stack.pop()
    } else if (opening !== undefined) {
      if (parent === root && root.children.length > 0) throw new Error('XML: more than one root element')
      const attributes: Record<string, string> = {}
      for (const [, name = '', double, single] of attributeText.matchAll(ATTRIBUTE)) {
        if (name in attributes) throw new Error(`XML: attribute ${name} repeated on <${opening}>`)
        attributes[name] = decode(double ?? single ?? '')
      }
      const element: XmlElement = { name: opening, attributes, children: [], text: '' }
      parent.children.push(element)
      if (selfClosing !== '/') stack.push(element)
    } else {
      if (parent === root) {
        if (token.trim() !== '') throw new Error('XML: text outside the root element')
        continue
      }
      parent.text += decode(token)
    }
  }
  if (stack.length !== 1) throw new Error(`XML: <${(stack[stack.length - 1] as XmlElement).name}> is never closed`)
  const [document] = root.children
  if (document === undefined) throw new Error('XML: no root element')
  return document
}

/** Every element under (and including) `element` that `test` accepts, in document order. */
export function findAll (element: XmlElement, test: (element: XmlElement) => boolean): XmlElement[] {
  const found = test(element) ? [element] : []
  for (const child of element.children) found.push(...findAll(child, test))
  return found
}

/** The text of an element and everything in it. */
export function textOf (element: XmlElement): string {
  return element.text + element.children.map(textOf).join('')
}

/** What a vega SVG shows: its size, bars (with their aria labels parsed), and texts by role. */
export interface SvgChart {
  width: number
  height: number
  /** One entry per bar: the fields its aria-label names, e.g. `{ 'Year approved': '2011', ... }`. */
  bars: Array<Record<string, string>>
  title: string[]
  axisTitles: string[]
  legendTitle: string[]
  legendLabels: string[]
  /** The texts of text marks (e.g. counts printed on bars). */
  markTexts: string[]
}

function textsIn (root: XmlElement, roleClass: string): string[] {
  return findAll(root, (e) => (e.attributes['class'] ?? '').split(' ').includes(roleClass))
    .flatMap((group) => findAll(group, (e) => e.name === 'text').map(textOf))
}

function fieldsOf (label: string): Record<string, string> {
  return Object.fromEntries(label.split('; ').map((pair) => {
    const at = pair.indexOf(': ')
    return [pair.slice(0, at), pair.slice(at + 2)]
  }))
}

/** Parses a vega SVG and reads what it shows. */
export function readSvgChart (svg: string): SvgChart {
  const root = parseXml(svg)
  if (root.name !== 'svg') throw new Error(`not an SVG: the root is <${root.name}>`)
  return {
    width: Number(root.attributes['width']),
    height: Number(root.attributes['height']),
    bars: findAll(root, (e) => e.attributes['aria-roledescription'] === 'bar').map((bar) => fieldsOf(bar.attributes['aria-label'] ?? '')),
    title: textsIn(root, 'role-title'),
    axisTitles: textsIn(root, 'role-axis-title'),
    legendTitle: textsIn(root, 'role-legend-title'),
    legendLabels: textsIn(root, 'role-legend-label'),
    markTexts: findAll(root, (e) => e.attributes['aria-roledescription'] === 'text mark container').flatMap((group) => findAll(group, (e) => e.name === 'text').map(textOf))
  }
}

/** A decoded PNG: size, and the colour of any pixel. */
export interface DecodedPng {
  width: number
  height: number
  /** `[r, g, b, a]` of the pixel at (x, y). */
  pixel: (x: number, y: number) => [number, number, number, number]
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/**
 * Decodes an 8-bit RGB or RGBA, non-interlaced PNG (what resvg writes) in full: signature, chunk
 * CRCs, IHDR, the zlib stream of the IDAT chunks, and every scanline's filter. Throws on anything
 * malformed.
 */
export function decodePng (png: Buffer): DecodedPng {
  if (!png.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('PNG: bad signature')
  let offset = 8
  let header: { width: number, height: number, channels: number } | undefined
  const data: Buffer[] = []
  let ended = false
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const body = png.subarray(offset + 8, offset + 8 + length)
    if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length)) throw new Error(`PNG: bad CRC in ${type}`)
    if (type === 'IHDR') {
      const [depth, colourType, , , interlace] = body.subarray(8, 13)
      if (depth !== 8 || (colourType !== 6 && colourType !== 2) || interlace !== 0) throw new Error('PNG: only 8-bit RGB(A), non-interlaced, is supported')
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), channels: colourType === 6 ? 4 : 3 }
    } else if (type === 'IDAT') {
      data.push(body)
    } else if (type === 'IEND') {
      ended = true
      break
    }
    offset += 12 + length
  }
  if (header === undefined || !ended) throw new Error('PNG: missing IHDR or IEND')
  const { width, height, channels } = header
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels
  if (raw.length !== height * (stride + 1)) throw new Error(`PNG: ${raw.length} bytes of image data for ${width}x${height}`)
  const pixels = Buffer.alloc(height * stride)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] as number
      const a = i >= channels ? pixels[y * stride + i - channels] as number : 0
      const b = y > 0 ? pixels[(y - 1) * stride + i] as number : 0
      const c = i >= channels && y > 0 ? pixels[(y - 1) * stride + i - channels] as number : 0
      let value: number
      switch (filter) {
        case 0: value = x; break
        case 1: value = x + a; break
        case 2: value = x + b; break
        case 3: value = x + Math.floor((a + b) / 2); break
        case 4: {
          const p = a + b - c
          const pa = Math.abs(p - a)
          const pb = Math.abs(p - b)
          const pc = Math.abs(p - c)
          value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)
          break
        }
        default: throw new Error(`PNG: bad filter ${String(filter)} on line ${y}`)
      }
      pixels[y * stride + i] = value & 0xff
    }
  }
  return {
    width,
    height,
    pixel: (x, y) => {
      const at = y * stride + x * channels
      return [pixels[at] as number, pixels[at + 1] as number, pixels[at + 2] as number, channels === 4 ? pixels[at + 3] as number : 255]
    }
  }
}

/** Counts the pixels of one colour (within `tolerance` per channel), to tell that bars were drawn. */
export function countColour (png: DecodedPng, hex: string, tolerance = 2): number {
  const target = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  let count = 0
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const [r, g, b] = png.pixel(x, y)
      if (Math.abs(r - (target[0] as number)) <= tolerance && Math.abs(g - (target[1] as number)) <= tolerance && Math.abs(b - (target[2] as number)) <= tolerance) count++
    }
  }
  return count
}
