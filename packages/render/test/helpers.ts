import { EntityDecoder } from '@nodable/entities'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { PNG } from 'pngjs'

/** An element of a parsed XML document. */
export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  /** The element's own text (entities decoded), its children's not included. */
  text: string
}

/** A node as fast-xml-parser gives it with `preserveOrder`: `{ [name]: children, ':@': attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> }

function toElement (node: OrderedNode): XmlElement | string {
  if ('#text' in node) return String(node['#text'])
  const name = Object.keys(node).find((key) => key !== ':@')
  if (name === undefined) throw new Error('XML: a node with no name')
  const element: XmlElement = { name, attributes: { ...node[':@'] }, children: [], text: '' }
  for (const child of (node[name] as OrderedNode[]).map(toElement)) {
    if (typeof child === 'string') element.text += child
    else element.children.push(child)
  }
  return element
}

/**
 * Parses an XML document for the tests (the SVGs are checked as documents, not as strings) with
 * fast-xml-parser: `XMLValidator` rejects anything not well-formed (an unclosed or mismatched tag, a
 * stray `<` or `&`, a repeated or unquoted attribute, text before the root), then `XMLParser` reads
 * it in document order with every attribute and text kept as written (entities and character
 * references decoded). A document must have exactly one root element. (fast-xml-parser accepts and
 * drops text after the root element, and keeps an undefined entity such as `&foo;` as written.)
 */
export function parseXml (xml: string): XmlElement {
  const valid = XMLValidator.validate(xml)
  if (valid !== true) throw new Error(`XML: not well-formed at line ${valid.err.line}${valid.err.col === undefined ? '' : `, column ${valid.err.col}`}: ${valid.err.msg}`)
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    entityDecoder: new EntityDecoder()
  })
  const roots = (parser.parse(xml) as OrderedNode[]).map(toElement).filter((node) => typeof node !== 'string')
  if (roots.length !== 1) throw new Error(roots.length === 0 ? 'XML: no root element' : 'XML: more than one root element')
  return roots[0] as XmlElement
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

/**
 * Decodes a PNG in full with pngjs (signature, chunk CRCs, the zlib stream, every scanline's
 * filter); any colour type comes back as 8-bit RGBA. Throws on anything malformed.
 */
export function decodePng (png: Buffer): DecodedPng {
  const { width, height, data } = PNG.sync.read(png)
  return {
    width,
    height,
    pixel: (x, y) => {
      const at = (y * width + x) * 4
      return [data[at] as number, data[at + 1] as number, data[at + 2] as number, data[at + 3] as number]
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
