import { Parser } from 'pickleparser';
import { RedundancyLabError } from '../errors.ts';
import type { NumericDType } from './dtypes.ts';

/**
 * Unpickles torch.save's `data.pkl` without running anything: pickleparser only builds values,
 * and every GLOBAL the pickle names is looked up in the allow-list below. Anything else
 * (os.system, builtins.eval, posix.system, numpy reconstructors …) is refused by name.
 */

/** A typed storage class named in a persistent id (torch.FloatStorage …). `dtype` null = not numeric. */
export interface StorageType {
  readonly kind: 'storage-type';
  readonly torchName: string;
  readonly dtype: NumericDType | null;
}

/** A torch dtype object (torch.float32 …), passed to _rebuild_tensor_v3. */
export interface TorchDType {
  readonly kind: 'dtype';
  readonly torchName: string;
  readonly dtype: NumericDType | null;
}

/** What a persistent id resolves to: storage `key` lives in `<archive>/data/<key>`. */
export interface StorageRef {
  readonly kind: 'storage';
  readonly type: StorageType;
  readonly key: string;
  /** elements (bytes for an untyped storage) */
  readonly numel: number;
}

export interface TensorRef {
  readonly kind: 'tensor';
  readonly storage: StorageRef;
  /** dtype name in torch spelling, e.g. 'FloatStorage' or 'torch.float32' */
  readonly torchName: string;
  readonly dtype: NumericDType | null;
  /** in elements */
  readonly offset: number;
  readonly shape: number[];
  readonly strides: number[];
}

const STORAGE_DTYPES: Record<string, NumericDType | null> = {
  FloatStorage: 'float32',
  DoubleStorage: 'float64',
  HalfStorage: 'float16',
  BFloat16Storage: 'bfloat16',
  LongStorage: 'int64',
  IntStorage: 'int32',
  ShortStorage: 'int16',
  CharStorage: 'int8',
  ByteStorage: 'uint8',
  BoolStorage: 'bool',
  // listed so tensors on them are reported as unsupported dtypes, not as unsafe code
  ComplexFloatStorage: null,
  ComplexDoubleStorage: null,
  QInt8Storage: null,
  QUInt8Storage: null,
  QInt32Storage: null,
  QUInt4x2Storage: null,
  QUInt2x4Storage: null,
  UntypedStorage: 'uint8',
};

const TORCH_DTYPES: Record<string, NumericDType | null> = {
  float32: 'float32', float: 'float32', float64: 'float64', double: 'float64',
  float16: 'float16', half: 'float16', bfloat16: 'bfloat16',
  int64: 'int64', long: 'int64', int32: 'int32', int: 'int32', int16: 'int16', short: 'int16',
  int8: 'int8', uint8: 'uint8', uint16: 'uint16', uint32: 'uint32', uint64: 'uint64', bool: 'bool',
  complex64: null, complex128: null, cfloat: null, cdouble: null, complex32: null,
  float8_e4m3fn: null, float8_e5m2: null, float8_e4m3fnuz: null, float8_e5m2fnuz: null,
};

type Callable = (...args: unknown[]) => unknown;

function corrupt(file: string, what: string): RedundancyLabError {
  return new RedundancyLabError('corrupt-file', `the PyTorch pickle (data.pkl) is damaged: ${what}; re-save with torch.save`, file);
}

function isIntList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function isStorageRef(v: unknown): v is StorageRef {
  return typeof v === 'object' && v !== null && (v as StorageRef).kind === 'storage';
}

/** The allow-list, built per parse so a hostile pickle cannot mutate what the next parse sees. */
function allowList(file: string): Map<string, Callable> {
  const allowed = new Map<string, Callable>();
  const tensor = (storage: unknown, offset: unknown, size: unknown, stride: unknown, dtype?: TorchDType): TensorRef => {
    if (!isStorageRef(storage) || !Number.isSafeInteger(offset) || (offset as number) < 0 || !isIntList(size) || !isIntList(stride) || size.length !== stride.length) {
      throw corrupt(file, 'a tensor has an invalid storage, offset, size or stride');
    }
    const torchName = dtype ? dtype.torchName : storage.type.torchName;
    return Object.freeze({ kind: 'tensor', storage, torchName, dtype: dtype ? dtype.dtype : storage.type.dtype, offset: offset as number, shape: [...size], strides: [...stride] });
  };
  allowed.set('torch._utils._rebuild_tensor', (s, o, size, stride) => tensor(s, o, size, stride));
  allowed.set('torch._utils._rebuild_tensor_v2', (s, o, size, stride) => tensor(s, o, size, stride));
  allowed.set('torch._utils._rebuild_tensor_v3', (s, o, size, stride, _grad, _hooks, dtype) => {
    const marker = markerOf<TorchDType>(dtype, 'dtype');
    if (!marker) throw corrupt(file, 'a tensor names no dtype');
    return tensor(s, o, size, stride, marker);
  });
  // a Parameter is its data tensor plus flags we do not need
  allowed.set('torch._utils._rebuild_parameter', (data) => data);
  allowed.set('torch._utils._rebuild_parameter_with_state', (data) => data);
  allowed.set('collections.OrderedDict', (items) => new Map(Array.isArray(items) ? (items.filter(Array.isArray) as [unknown, unknown][]) : []));
  allowed.set('torch.Size', (dims) => (Array.isArray(dims) ? [...dims] : []));
  for (const [name, dtype] of Object.entries(STORAGE_DTYPES)) {
    const marker: StorageType = Object.freeze({ kind: 'storage-type', torchName: name, dtype });
    // GLOBAL pushes the marker itself; it is never called, only passed inside persistent ids
    allowed.set(`torch.${name}`, Object.freeze(Object.assign(() => marker, marker)) as unknown as Callable);
  }
  allowed.set('torch.storage.UntypedStorage', allowed.get('torch.UntypedStorage')!);
  for (const [name, dtype] of Object.entries(TORCH_DTYPES)) {
    allowed.set(`torch.${name}`, Object.freeze(Object.assign(() => undefined, { kind: 'dtype', torchName: `torch.${name}`, dtype })) as unknown as Callable);
  }
  return allowed;
}

/** Reads a marker's fields whether it arrived as the frozen function object or a plain object. */
function markerOf<T extends { kind: string }>(v: unknown, kind: T['kind']): T | undefined {
  if ((typeof v === 'object' || typeof v === 'function') && v !== null && (v as { kind?: string }).kind === kind) return v as unknown as T;
  return undefined;
}

export function unsafeGlobalError(callable: string, file: string): RedundancyLabError {
  return new RedundancyLabError(
    'unsafe-pickle',
    `the pickle inside this PyTorch file calls ${callable}, which is not part of a saved tensor; it was refused and nothing was run. Open it in Python only if you trust its source, then save just the tensors (torch.save(tensor) or safetensors)`,
    file,
  );
}

/** Unpickles data.pkl into plain values with TensorRef leaves. */
export function unpickleTorch(bytes: Uint8Array, file: string): unknown {
  const allowed = allowList(file);
  const parser = new Parser({
    nameResolver: {
      resolve(module: string, name: string) {
        const callable = `${module}.${name}`;
        const fn = allowed.get(callable);
        if (!fn) throw unsafeGlobalError(callable, file);
        return fn;
      },
    },
    persistentResolver: {
      resolve(pid: unknown) {
        // ('storage', storage_type, key, location, numel)
        if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) throw corrupt(file, 'unexpected persistent id');
        const type = markerOf<StorageType>(pid[1], 'storage-type');
        const key = pid[2];
        const numel = pid[4];
        if (!type || (typeof key !== 'string' && typeof key !== 'number') || !Number.isSafeInteger(numel) || (numel as number) < 0) {
          throw corrupt(file, 'a storage reference is malformed');
        }
        const ref: StorageRef = Object.freeze({ kind: 'storage', type: { kind: 'storage-type' as const, torchName: type.torchName, dtype: type.dtype }, key: String(key), numel: numel as number });
        return ref;
      },
    },
    extensionResolver: {
      resolve(code: number) {
        throw unsafeGlobalError(`extension code ${code}`, file);
      },
    },
    // Maps, not plain objects: keys from the file can never reach Object.prototype
    unpicklingTypeOfDictionary: 'Map',
    unpicklingTypeOfSet: 'array',
  });
  try {
    return parser.parse(bytes);
  } catch (e) {
    if (e instanceof RedundancyLabError) throw e;
    throw corrupt(file, (e as Error)?.message ?? String(e));
  }
}
