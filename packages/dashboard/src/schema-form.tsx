import type { JsonSchema } from './api.js'

/** How a request parameter is entered: from its JSON Schema. */
export type FieldKind = 'select' | 'list' | 'checkbox' | 'number' | 'text'

/** One form field generated from a property of an analysis's request schema. */
export interface Field {
  name: string
  kind: FieldKind
  required: boolean
  description: string
  options: string[]
  schema: JsonSchema
}

function enumOf (schema: JsonSchema): unknown[] | undefined {
  if (schema.enum !== undefined) return schema.enum
  if (schema.anyOf !== undefined && schema.anyOf.every((s) => s.const !== undefined)) return schema.anyOf.map((s) => s.const)
  return undefined
}

/** The fields of a request schema: every property but `analysis`, in schema order. */
export function fieldsOf (schema: JsonSchema): Field[] {
  const required = new Set(schema.required ?? [])
  return Object.entries(schema.properties ?? {}).filter(([name]) => name !== 'analysis').map(([name, property]) => {
    const options = enumOf(property)
    const kind: FieldKind = options !== undefined
      ? 'select'
      : property.type === 'array' ? 'list' : property.type === 'boolean' ? 'checkbox' : property.type === 'integer' || property.type === 'number' ? 'number' : 'text'
    return { name, kind, required: required.has(name), description: property.description ?? '', options: (options ?? []).map(String), schema: property }
  })
}

/**
 * The request body a form's values make: empty optional fields left out, lists split on new lines,
 * commas or spaces, numbers sent as numbers when they look like one. Nothing else is checked here:
 * the API's own messages say what is wrong.
 */
export function requestOf (analysis: string, fields: Field[], values: Record<string, string | boolean>): Record<string, unknown> {
  const body: Record<string, unknown> = { analysis }
  for (const field of fields) {
    const value = values[field.name]
    if (field.kind === 'checkbox') {
      if (value === true) body[field.name] = true
      continue
    }
    const text = typeof value === 'string' ? value.trim() : ''
    if (text === '') continue
    if (field.kind === 'list') body[field.name] = text.split(/[\s,;]+/).filter((item) => item !== '')
    else if (field.kind === 'number' && /^-?\d+(\.\d+)?$/.test(text)) body[field.name] = Number(text)
    else body[field.name] = text
  }
  return body
}
