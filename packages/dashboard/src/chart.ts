// The interactive chart, loaded only when asked for (its own chunk): Vega-Lite compiled to Vega,
// run with Vega's expression interpreter, so the page's CSP needs no 'unsafe-eval'.
import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'
import { expressionInterpreter } from 'vega-interpreter'

/** Renders a Vega-Lite spec into `container` (canvas, tooltips on hover). */
export async function showChart (container: HTMLElement, spec: Record<string, unknown>): Promise<void> {
  const vega = compile(spec as unknown as TopLevelSpec).spec
  const view = new View(parse(vega, undefined, { ast: true }), {
    expr: expressionInterpreter,
    renderer: 'canvas',
    container,
    hover: true
  })
  await view.runAsync()
}
