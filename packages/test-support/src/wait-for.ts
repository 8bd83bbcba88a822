/** How long `waitFor` may poll, and how to describe what it waited for. */
export interface WaitForOptions {
  timeoutMs?: number
  intervalMs?: number
  what?: string
}

/**
 * Polls `check` until it returns a truthy value, and returns that value. Throws when the deadline
 * passes, naming what it waited for (tests poll with a deadline instead of sleeping).
 */
export async function waitFor<T> (check: () => Promise<T> | T, options: WaitForOptions = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  let lastError: unknown
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== null && value !== false) return value as NonNullable<T>
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? ` (last error: ${lastError.message})` : ''
      throw new Error(`timed out after ${options.timeoutMs ?? 10_000} ms waiting for ${options.what ?? 'a condition'}${reason}`)
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25))
  }
}
