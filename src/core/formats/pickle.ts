/**
 * A reader of Python pickles that never runs anything: it interprets the opcodes `torch.save` emits
 * (protocols 2 to 5) into plain values, and a GLOBAL becomes a named reference that only the caller's
 * allowlist can turn into a value. REDUCE, BUILD and NEWOBJ apply the caller's handler for that name,
 * or fail naming the global; nothing the file says is ever called or imported.
 *
 * Memory: every opcode is bounded by the bytes it reads. A length field that points past the end is
 * refused before anything is allocated; memo indices go in a Map, so a huge index costs one entry.
 */

/** `module.name`, as Python writes it in GLOBAL (e.g. `collections.OrderedDict`). */
export interface PickleGlobal {
  readonly kind: 'global';
  readonly name: string;
}

/** A Python tuple: kept apart from lists, since handlers read arguments positionally from tuples. */
export interface PickleTuple {
  readonly kind: 'tuple';
  readonly items: readonly PickleValue[];
}

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | Map<PickleValue, PickleValue>
  | PickleGlobal
  | { readonly kind: 'object'; readonly value: unknown };

export interface PickleHandlers {
  /** Names allowed in GLOBAL/STACK_GLOBAL. Anything else is refused when it is read. */
  allowed: ReadonlySet<string>;
  /** `callable(*args)` for REDUCE and NEWOBJ: the caller's reconstruction of an allowlisted global. */
  reduce(global: string, args: readonly PickleValue[]): PickleValue;
  /** `obj.__setstate__(state)` for BUILD; return the updated object. */
  build(target: PickleValue, state: PickleValue): PickleValue;
  /** A BINPERSID or PERSID id: torch's storages. */
  persistent(id: PickleValue): PickleValue;
}

const tuple = (items: PickleValue[]): PickleTuple => ({ kind: 'tuple', items });
/** MARK on the stack: a sentinel no file can produce. */
const MARK: unique symbol = Symbol('mark');
type StackItem = PickleValue | typeof MARK;

export function readPickle(bytes: Uint8Array, handlers: PickleHandlers, fileName: string): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const stack: StackItem[] = [];
  const memo = new Map<number, PickleValue>();
  let pos = 0;
  const fail = (problem: string): never => {
    throw new Error(`${fileName}: ${problem} (pickle byte ${pos})`);
  };
  const need = (n: number) => {
    if (!(n >= 0) || pos + n > bytes.length) fail(`truncated: ${n} more bytes expected, ${bytes.length - pos} left`);
  };
  const u8 = () => (need(1), bytes[pos++]);
  const u16 = () => (need(2), (pos += 2), view.getUint16(pos - 2, true));
  const u32 = () => (need(4), (pos += 4), view.getUint32(pos - 4, true));
  const i32 = () => (need(4), (pos += 4), view.getInt32(pos - 4, true));
  const u64 = () => {
    need(8);
    const value = view.getBigUint64(pos, true);
    pos += 8;
    return value > BigInt(bytes.length) ? fail(`a length of ${value} bytes in a ${bytes.length}-byte pickle`) : Number(value);
  };
  const take = (n: number) => (need(n), (pos += n), bytes.subarray(pos - n, pos));
  const text = (n: number) => {
    try {
      return utf8.decode(take(n));
    } catch {
      return fail('a string that is not valid UTF-8');
    }
  };
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) fail('truncated: a text argument without its newline');
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) fail('pops an empty stack');
    const v = stack.pop()!;
    return v === MARK ? fail('pops a MARK as a value') : v;
  };
  const top = (): PickleValue => {
    const v = stack[stack.length - 1];
    return v === undefined || v === MARK ? fail('expects a value on the stack') : v;
  };
  const popMark = (): PickleValue[] => {
    const at = stack.lastIndexOf(MARK);
    if (at < 0) fail('expects a MARK on the stack');
    const items = stack.splice(at) as PickleValue[];
    return items.slice(1);
  };
  const global = (module: string, name: string): PickleGlobal => {
    const full = `${module}.${name}`;
    if (!handlers.allowed.has(full)) fail(`refuses the global ${full}: only ${[...handlers.allowed].join(', ')} may appear in a checkpoint, and nothing is ever run`);
    return { kind: 'global', name: full };
  };
  const call = (callable: PickleValue, args: PickleValue): PickleValue => {
    if (!isGlobal(callable)) return fail('calls something that is not an allowed global');
    if (!isTuple(args)) return fail(`calls ${callable.name} without an argument tuple`);
    return handlers.reduce(callable.name, args.items);
  };
  const dictOf = (v: PickleValue): Map<PickleValue, PickleValue> => (v instanceof Map ? v : fail('sets an item on something that is not a dict'));
  const listOf = (v: PickleValue): PickleValue[] => (Array.isArray(v) ? v : fail('appends to something that is not a list'));
  const setPairs = (dict: Map<PickleValue, PickleValue>, items: PickleValue[]) => {
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  const memoGet = (index: number) => (memo.has(index) ? memo.get(index)! : fail(`reads memo ${index}, which was never stored`));

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('uses a pickle protocol above 5');
        break;
      case 0x95: // FRAME: a length hint only
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail(`ends with ${stack.length} items on the stack instead of 1`);
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        if (stack.length === 0) fail('pops an empty stack');
        stack.pop();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x4a: // BININT
        stack.push(i32());
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianInt(take(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(littleEndianInt(take(u32())));
        break;
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        stack.push(view.getFloat64(pos, false));
        pos += 8;
        break;
      case 0x49: {
        // INT (text): also how protocol 0 writes booleans
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : integer(s, fail));
        break;
      }
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x55: // SHORT_BINSTRING (Python 2 str: torch writes ASCII here)
        stack.push(new TextDecoder('latin1').decode(take(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(new TextDecoder('latin1').decode(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(u64()).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push(tuple([]));
        break;
      case 0x85: // TUPLE1
        stack.push(tuple([pop()]));
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push(tuple([pop(), b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push(tuple([pop(), b, c]));
        break;
      }
      case 0x74: // TUPLE
        stack.push(tuple(popMark()));
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x6c: // LIST
        stack.push(popMark());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        listOf(top()).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        listOf(top()).push(...items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(new Map());
        break;
      case 0x64: {
        // DICT
        const dict = new Map<PickleValue, PickleValue>();
        setPairs(dict, popMark());
        stack.push(dict);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        dictOf(top()).set(key, value);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setPairs(dictOf(top()), items);
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL without two strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args)
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        stack.push(handlers.build(pop(), state));
        break;
      }
      case 0x51: // BINPERSID
        stack.push(handlers.persistent(pop()));
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x70: // PUT (text)
        memo.set(integer(line(), fail), top());
        break;
      case 0x68: // BINGET
        stack.push(memoGet(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memoGet(u32()));
        break;
      case 0x67: // GET (text)
        stack.push(memoGet(integer(line(), fail)));
        break;
      default:
        fail(`holds opcode 0x${op.toString(16).padStart(2, '0')}, which a torch checkpoint never uses`);
    }
  }
}

export function isGlobal(v: PickleValue): v is PickleGlobal {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array) && v.kind === 'global';
}

export function isTuple(v: PickleValue): v is PickleTuple {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !(v instanceof Uint8Array) && v.kind === 'tuple';
}

/** Two's-complement little-endian (LONG1/LONG4): a number when it is safe, a bigint otherwise. */
function littleEndianInt(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let value = 0n;
  for (let i = b.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) value -= 1n << BigInt(8 * b.length);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function integer(s: string, fail: (problem: string) => never): number {
  const n = Number(s.replace(/L$/, ''));
  return Number.isSafeInteger(n) ? n : fail(`"${s}" is not an integer`);
}
