import { readFileSync } from 'node:fs'

/** Measures text set in one font: width in pixels at a font size, from the font's own advances. */
export interface FontMetrics {
  /** The advance width of `text` at `fontSize` pixels (no kerning). */
  width: (text: string, fontSize: number) => number
}

function table (font: Buffer, tag: string): number {
  const count = font.readUInt16BE(4)
  for (let i = 0; i < count; i++) {
    const record = 12 + i * 16
    if (font.toString('latin1', record, record + 4) === tag) return font.readUInt32BE(record + 8)
  }
  throw new Error(`not a TrueType font: it has no ${tag} table`)
}

/** The glyph of each character, from the font's Unicode BMP cmap (format 4). */
function glyphLookup (font: Buffer): (code: number) => number {
  const cmap = table(font, 'cmap')
  let subtable = -1
  for (let i = 0; i < font.readUInt16BE(cmap + 2); i++) {
    const record = cmap + 4 + i * 8
    const platform = font.readUInt16BE(record)
    const encoding = font.readUInt16BE(record + 2)
    const offset = cmap + font.readUInt32BE(record + 4)
    if (((platform === 3 && encoding === 1) || platform === 0) && font.readUInt16BE(offset) === 4) {
      subtable = offset
      break
    }
  }
  if (subtable < 0) throw new Error('the font has no Unicode (format 4) character map')
  const segments = font.readUInt16BE(subtable + 6) / 2
  const ends = subtable + 14
  const starts = ends + segments * 2 + 2
  const deltas = starts + segments * 2
  const rangeOffsets = deltas + segments * 2
  return (code) => {
    for (let i = 0; i < segments; i++) {
      if (font.readUInt16BE(ends + i * 2) < code) continue
      const start = font.readUInt16BE(starts + i * 2)
      if (start > code) return 0
      const delta = font.readInt16BE(deltas + i * 2)
      const rangeOffset = font.readUInt16BE(rangeOffsets + i * 2)
      if (rangeOffset === 0) return (code + delta) & 0xffff
      const glyph = font.readUInt16BE(rangeOffsets + i * 2 + rangeOffset + (code - start) * 2)
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff
    }
    return 0
  }
}

/**
 * Reads a TrueType font's character advances (`head`, `hhea`, `hmtx`, `cmap` tables), so text can
 * be laid out for the font a chart is drawn with rather than by a guess.
 */
export function readFontMetrics (fontFile: string): FontMetrics {
  const font = readFileSync(fontFile)
  const unitsPerEm = font.readUInt16BE(table(font, 'head') + 18)
  const advanceCount = font.readUInt16BE(table(font, 'hhea') + 34)
  const hmtx = table(font, 'hmtx')
  const glyphOf = glyphLookup(font)
  const advances = new Map<number, number>()
  const advance = (code: number): number => {
    let units = advances.get(code)
    if (units === undefined) {
      const glyph = code > 0xffff ? 0 : glyphOf(code)
      units = font.readUInt16BE(hmtx + Math.min(glyph, advanceCount - 1) * 4)
      advances.set(code, units)
    }
    return units
  }
  return {
    width (text, fontSize) {
      let units = 0
      for (const character of text) units += advance(character.codePointAt(0) ?? 0)
      return units * fontSize / unitsPerEm
    }
  }
}
