/** Decoded form value: strings at the leaves; `[]` pushes make arrays, `[0]` makes numeric keys. */
export type FormValue = string | FormValue[] | { [key: string]: FormValue }
export type FormObject = { [key: string]: FormValue }

/** Splits `a[b][0][]` into `['a', 'b', '0', '']`. */
export function splitKey(key: string): string[] {
  const open = key.indexOf('[')
  if (open <= 0 || !key.endsWith(']')) return [key]
  const parts = [key.slice(0, open)]
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) parts.push(match[1] ?? '')
  return parts
}

/** Decodes Stripe's bracket form encoding (`a[b][c]=x`, `expand[]=x`, `items[0][amount]=1`). */
export function decodeForm(text: string | URLSearchParams): FormObject {
  const params = typeof text === 'string' ? new URLSearchParams(text) : text
  const root: FormObject = {}
  for (const [key, value] of params) {
    const path = splitKey(key)
    let node: FormValue = root
    for (let index = 0; index < path.length; index++) {
      const segment = path[index] as string
      const last = index === path.length - 1
      if (Array.isArray(node)) {
        // `[]` appends; a following `[x]` on an appended item nests into it
        if (last) node.push(value)
        else {
          const child: FormValue = {}
          node.push(child)
          node = child
        }
        continue
      }
      if (typeof node === 'string') break
      if (last) {
        node[segment] = value
        break
      }
      const nextIsAppend = path[index + 1] === ''
      let child: FormValue | undefined = node[segment]
      if (child === undefined || typeof child === 'string') {
        child = nextIsAppend ? [] : {}
        node[segment] = child
      }
      node = child
    }
  }
  return root
}
