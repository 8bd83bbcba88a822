import { readFileSync } from 'node:fs'
import opentype from 'opentype.js'

/** Measures text set in one font: width in pixels at a font size, from the font's own advances. */
export interface FontMetrics {
  /** The advance width of `text` at `fontSize` pixels (no kerning). */
  width: (text: string, fontSize: number) => number
}

/**
 * Reads a TrueType (or OpenType) font's character advances with opentype.js (its `cmap` and
 * `hmtx` tables), so text can be laid out for the font a chart is drawn with rather than by a
 * guess. Throws a clear error when the file is missing or is not a font.
 *
 * Each character is measured by its glyph's advance (`font.charToGlyph`), with no kerning or
 * substitution. opentype.js's `getAdvanceWidth` would give the same widths, but from 1.3.5 on it
 * applies the font's `ccmp` substitutions first and throws on DejaVu Sans's chaining-context
 * (GSUB lookup type 6, format 2) lookups, which opentype.js does not implement yet.
 */
export function readFontMetrics (fontFile: string): FontMetrics {
  let data: Buffer
  try {
    data = readFileSync(fontFile)
  } catch (error) {
    throw new Error(`cannot read the font file ${fontFile}: ${(error as Error).message}`, { cause: error })
  }
  let font: opentype.Font
  try {
    font = opentype.parse(data)
  } catch (error) {
    throw new Error(`${fontFile} is not a font opentype.js can read: ${(error as Error).message}`, { cause: error })
  }
  const unitsPerEm = font.unitsPerEm
  const advances = new Map<string, number>()
  const advance = (character: string): number => {
    let units = advances.get(character)
    if (units === undefined) {
      units = font.charToGlyph(character).advanceWidth ?? 0
      advances.set(character, units)
    }
    return units
  }
  return {
    width (text, fontSize) {
      let units = 0
      for (const character of text) units += advance(character)
      return units * fontSize / unitsPerEm
    }
  }
}
