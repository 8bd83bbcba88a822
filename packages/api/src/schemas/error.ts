import Type, { type Static } from 'typebox'

/** The one JSON shape of every error the API sends. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer({ minimum: 400, maximum: 599 }),
  error: Type.String({ description: 'the HTTP reason phrase, e.g. "Bad Request"' }),
  message: Type.String({ description: 'what went wrong, naming the field and the rule for bad input' })
}, { $id: 'ErrorResponse' })

/** An error response body. */
export type ErrorResponse = Static<typeof ErrorResponse>

/** The error responses a route may send, keyed by status code, for a route's `response` schema. */
export function errorResponses<const Codes extends number[]> (...codes: Codes): { [Code in Codes[number]]: typeof ErrorResponse } {
  return Object.fromEntries(codes.map((code) => [code, ErrorResponse])) as { [Code in Codes[number]]: typeof ErrorResponse }
}
