/** A Redis command as its arguments, e.g. `['HSET', key, field, value, …]`. */
export type CommandArgs = string[]

/** Entries per command while a load writes its indexes: few, large commands (a few MB each). */
const ENTRIES_PER_COMMAND = 50_000

/** HSET commands writing `entries` (field, value) to the hash `key`, many per command. */
export function hashCommands (key: string, entries: Iterable<[string, string]>): CommandArgs[] {
  const commands: CommandArgs[] = []
  let args = ['HSET', key]
  for (const [field, value] of entries) {
    args.push(field, value)
    if (args.length >= 2 + 2 * ENTRIES_PER_COMMAND) {
      commands.push(args)
      args = ['HSET', key]
    }
  }
  if (args.length > 2) commands.push(args)
  return commands
}

/** ZADD commands adding `members` with score 0 to the sorted set `key`, many per command. */
export function sortedSetCommands (key: string, members: readonly string[]): CommandArgs[] {
  const commands: CommandArgs[] = []
  for (let start = 0; start < members.length; start += ENTRIES_PER_COMMAND) {
    const args = ['ZADD', key]
    for (const member of members.slice(start, start + ENTRIES_PER_COMMAND)) args.push('0', member)
    commands.push(args)
  }
  return commands
}
